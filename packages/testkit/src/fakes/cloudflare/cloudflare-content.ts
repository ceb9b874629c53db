/**
 * TXT `content` as Cloudflare handles it. The API documents content as RFC 1035 quoted character-strings of at most
 * 255 octets each, split automatically when longer; unquoted content is still accepted (the dashboard then warns
 * "must be in quotation marks") and reads back quoted. Escapes inside quotes follow RFC 1035: `\"`, `\\` and
 * `\DDD` (decimal).
 */

/** The value a resolver sees: the record's strings concatenated (unquoted content is taken as is). */
export function decodeContent(content: string): string {
  const text = content.trim();
  if (!text.startsWith('"')) return content;
  const octets: number[] = [];
  let index = 0;
  while (index < text.length) {
    if (text[index] !== '"') {
      index++;
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
    index++;
  }
  return Buffer.from(octets).toString('utf8');
}

/** How the API returns stored content: quoted content as stored; unquoted content quoted, in 255-octet strings. */
export function presentContent(content: string): string {
  if (content.trim().startsWith('"')) return content;
  const octets = Buffer.from(content, 'utf8');
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
