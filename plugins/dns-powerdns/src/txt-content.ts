/**
 * PowerDNS stores TXT data in zone-file presentation format: each character-string in double quotes, with `"`
 * and `\` escaped and other bytes outside printable ASCII as `\DDD` (RFC 1035 §5.1). The API rejects an
 * unquoted value (HTTP 422 "Not in expected format"), so values are converted both ways here.
 */
export function quoteTxt(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

/**
 * The value a CA reads from a TXT record's presentation form: every character-string unescaped and joined.
 * Tolerates unquoted single words, which older PowerDNS versions and hand edits produce.
 */
export function unquoteTxt(content: string): string {
  const bytes: number[] = [];
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const char = content[i]!;
    if (char === '"') {
      quoted = !quoted;
    } else if (char === '\\' && i + 1 < content.length) {
      const digits = content.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(digits)) {
        bytes.push(Number(digits));
        i += 3;
      } else {
        bytes.push(...Buffer.from(content[i + 1]!, 'utf8'));
        i += 1;
      }
    } else if (quoted || !/\s/.test(char)) {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
