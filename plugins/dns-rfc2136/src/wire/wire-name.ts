import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/**
 * A domain name in uncompressed wire format (RFC 1035 §3.1), lower-cased: the canonical form RFC 8945 §4.3.2
 * requires for the key and algorithm names inside the MAC, and a valid (if uncompressed) form anywhere else.
 */
export function encodeName(name: string): Buffer {
  const trimmed = name.toLowerCase().replace(/\.$/, '');
  const labels = trimmed === '' ? [] : trimmed.split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length === 0 || bytes.length > 63) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        `DNS name "${name}" has an empty or over-long label.`,
        {
          hint: 'Use a fully qualified name with labels of 1 to 63 octets.',
        },
      );
    }
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
