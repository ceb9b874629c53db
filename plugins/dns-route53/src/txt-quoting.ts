/**
 * TXT values in Route 53's presentation format.
 *
 * Route 53 takes and returns each TXT record as a `Value` made of one or more `"..."` character-strings separated
 * by spaces, each at most 255 octets; inside the quotes `"` and `\` are backslash-escaped and any octet outside
 * printable ASCII is written `\ooo` (three octal digits). A value sent without quotes is refused for TXT
 * ("Value should be enclosed in quotation marks"), and a string over 255 octets is refused too
 * ("CharacterStringTooLong"). See "TXT record type" in the Route 53 Developer Guide.
 */

const MAX_STRING_OCTETS = 255;

/** Encodes one TXT value (any length) as Route 53 wants it: quoted 255-octet chunks, escaped. */
export function quoteTxt(value: string): string {
  const octets = Buffer.from(value, 'utf8');
  const chunks: string[] = [];
  // Split on octets, not characters: the 255 limit is in octets, and a chunk may end inside a UTF-8 sequence
  // because a resolver concatenates the strings of one record back into the original octets.
  for (let start = 0; start < octets.length; start += MAX_STRING_OCTETS) {
    chunks.push(`"${escapeOctets(octets.subarray(start, start + MAX_STRING_OCTETS))}"`);
  }
  return chunks.length === 0 ? '""' : chunks.join(' ');
}

function escapeOctets(octets: Uint8Array): string {
  let out = '';
  for (const octet of octets) {
    if (octet === 0x22 || octet === 0x5c) out += `\\${String.fromCharCode(octet)}`;
    else if (octet >= 0x20 && octet <= 0x7e) out += String.fromCharCode(octet);
    else out += `\\${octet.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/**
 * Decodes a Route 53 TXT `Value` back into the value a resolver sees: its character-strings concatenated.
 * Accepts unquoted tokens too (records written by other tools before Route 53 enforced quoting).
 */
export function unquoteTxt(presentation: string): string {
  const octets: number[] = [];
  let index = 0;
  const text = presentation.trim();
  while (index < text.length) {
    const quoted = text[index] === '"';
    if (quoted) index++;
    while (index < text.length) {
      const char = text[index]!;
      if (quoted ? char === '"' : char === ' ') break;
      if (char === '\\' && index + 1 < text.length) {
        const digits = text.slice(index + 1, index + 4);
        if (/^[0-7]{3}$/.test(digits)) {
          octets.push(Number.parseInt(digits, 8));
          index += 4;
        } else {
          octets.push(...Buffer.from(text[index + 1]!, 'utf8'));
          index += 2;
        }
        continue;
      }
      octets.push(...Buffer.from(char, 'utf8'));
      index++;
    }
    if (quoted) index++; // the closing quote
    while (text[index] === ' ') index++;
  }
  return Buffer.from(octets).toString('utf8');
}
