/**
 * TXT `content` for the Cloudflare API. Cloudflare documents TXT content as RFC 1035 quoted character-strings (at
 * most 255 octets each) and shows a warning on records sent unquoted, so values are sent quoted; records created
 * by other tools may read back unquoted, so both forms are decoded. Escapes follow RFC 1035: `\"`, `\\`, `\DDD`
 * (decimal).
 */

/** `abc` → `"abc"`; longer than 255 octets → several strings; quotes, backslashes and non-printables escaped. */
export function quoteContent(value: string): string {
  const octets = Buffer.from(value, 'utf8');
  const strings: string[] = [];
  for (let start = 0; start < octets.length; start += 255) {
    let text = '';
    for (const octet of octets.subarray(start, start + 255)) {
      if (octet === 0x22 || octet === 0x5c) text += `\\${String.fromCharCode(octet)}`;
      else if (octet >= 0x20 && octet <= 0x7e) text += String.fromCharCode(octet);
      else text += `\\${String(octet).padStart(3, '0')}`;
    }
    strings.push(`"${text}"`);
  }
  return strings.length > 0 ? strings.join(' ') : '""';
}

/** The value a resolver sees: quoted strings decoded and concatenated; unquoted content as is. */
export function unquoteContent(content: string): string {
  const text = content.trim();
  if (!text.startsWith('"')) return content;
  const octets: number[] = [];
  let index = 0;
  while (index < text.length) {
    if (text[index] !== '"') {
      index++; // the spaces between strings
      continue;
    }
    index++;
    while (index < text.length && text[index] !== '"') {
      if (text[index] === '\\') {
        const digits = text.slice(index + 1, index + 4);
        if (/^\d{3}$/.test(digits)) {
          octets.push(Number(digits));
          index += 4;
          continue;
        }
        index++;
      }
      octets.push(...Buffer.from(text[index] ?? '', 'utf8'));
      index++;
    }
    index++; // the closing quote
  }
  return Buffer.from(octets).toString('utf8');
}
