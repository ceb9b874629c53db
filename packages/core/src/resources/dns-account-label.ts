import { createHash } from 'node:crypto';

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The account label of dns-account-01 (draft-ietf-acme-dns-account-label, the validation name unchanged since
 * -00 and what Pebble 2.10 checks): base32 (RFC 4648, lower case) of the first 10 octets of SHA-256 of the
 * account URL — exactly 16 characters, no padding. The TXT record goes at `_<label>._acme-challenge.<domain>`,
 * so every account validates a name at its own record and several accounts never touch each other's.
 *
 * The URL must be the account's `Location` exactly as the CA gave it: the CA hashes its own form of it.
 */
export function dnsAccountLabel(accountUrl: string): string {
  const octets = createHash('sha256').update(accountUrl, 'utf8').digest().subarray(0, 10);
  let label = '';
  let buffer = 0;
  let bits = 0;
  for (const octet of octets) {
    buffer = ((buffer << 8) | octet) & 0xffff; // at most 12 bits are ever pending
    bits += 8;
    while (bits >= 5) {
      label += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return label; // 80 bits: a whole number of 5-bit groups, nothing left over
}
