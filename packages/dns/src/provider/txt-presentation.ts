/**
 * TXT data in zone-file presentation format (RFC 1035 §5.1), the form most DNS APIs take and return TXT values in
 * (deSEC, Gandi, Hetzner, PowerDNS, Cloudflare): each character-string in double quotes, at most 255 octets, `"`
 * and `\` escaped, other octets outside printable ASCII as `\DDD` (decimal).
 */

/** `abc` → `"abc"`; more than 255 octets → several strings; escapes as RFC 1035 §5.1 says. */
export function quoteTxt(value: string): string {
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

/**
 * The value a CA reads: every character-string unescaped and concatenated. Content that does not start with a
 * quote (written unquoted by another tool) is returned as it is.
 */
export function unquoteTxt(content: string): string {
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
