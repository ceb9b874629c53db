/**
 * Names and TXT values the way Route 53 stores and returns them, for the fake.
 *
 * Route 53 keeps names lower case, absolute, and returns every character other than `a-z 0-9 - _ .` as a
 * three-digit octal escape (a wildcard comes back as `\052.example.com.`). Listings sort by the name with its
 * labels reversed (`com.example.www.`), then by type.
 */

/** Any spelling a client may send → the stored form (`_Acme.Example.test` → `_acme.example.test.`). */
export function canonicalName(input: string): string {
  const decoded = input.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
  const bare = decoded.toLowerCase().replace(/\.$/, '');
  const escaped = [...bare]
    .map((char) => (/[a-z0-9_.-]/.test(char) ? char : `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`))
    .join('');
  return `${escaped}.`;
}

/** The listing sort key: labels reversed, trailing dot kept (`www.example.com.` → `com.example.www.`). */
export function sortKey(name: string): string {
  return `${name.replace(/\.$/, '').split('.').reverse().join('.')}.`;
}

/** Whether `name` (stored form) is the zone apex or below it. */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** `_acme-challenge.example.test.` → `_acme-challenge.example.test` (for the DNS mirror). */
export function bareName(name: string): string {
  return name
    .replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))
    .replace(/\.$/, '');
}

/**
 * Why Route 53 would refuse a TXT value, or undefined when it is acceptable: every value must be one or more
 * quoted character-strings of at most 255 octets (checked against the service's InvalidChangeBatch messages).
 */
export function txtValueProblem(value: string): string | undefined {
  const strings = splitTxt(value);
  if (strings === undefined) return 'InvalidCharacterString (Value should be enclosed in quotation marks)';
  if (strings.some((octets) => octets.length > 255)) return 'CharacterStringTooLong (Value is too long)';
  return undefined;
}

/** The value a resolver would see: the strings of one TXT record concatenated. */
export function decodeTxt(value: string): string {
  return Buffer.concat(splitTxt(value) ?? [Buffer.from(value)]).toString('utf8');
}

/** Splits `"a" "b\"c"` into its strings' octets; undefined when the value is not made of quoted strings. */
function splitTxt(value: string): Buffer[] | undefined {
  const strings: Buffer[] = [];
  let index = 0;
  const text = value.trim();
  while (index < text.length) {
    if (text[index] !== '"') return undefined;
    index++;
    const octets: number[] = [];
    while (index < text.length && text[index] !== '"') {
      if (text[index] === '\\') {
        const digits = text.slice(index + 1, index + 4);
        if (/^[0-7]{3}$/.test(digits)) {
          octets.push(Number.parseInt(digits, 8));
          index += 4;
          continue;
        }
        index++;
      }
      octets.push(...Buffer.from(text[index] ?? '', 'utf8'));
      index++;
    }
    if (text[index] !== '"') return undefined;
    index++;
    strings.push(Buffer.from(octets));
    while (text[index] === ' ') index++;
  }
  return strings.length > 0 ? strings : undefined;
}
