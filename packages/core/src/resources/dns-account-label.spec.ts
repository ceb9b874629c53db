import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dnsAccountLabel } from './dns-account-label.js';

describe('dnsAccountLabel (dns-account-01)', () => {
  it("matches the draft's example: https://example.com/acme/acct/ExampleAccount → ujmmovf2vn55tgye", () => {
    expect(dnsAccountLabel('https://example.com/acme/acct/ExampleAccount')).toBe('ujmmovf2vn55tgye');
  });

  it('is 16 lower-case base32 characters and differs per account URL', () => {
    const a = dnsAccountLabel('https://127.0.0.1:14000/my-account/1');
    const b = dnsAccountLabel('https://127.0.0.1:14000/my-account/2');
    expect(a).toMatch(/^[a-z2-7]{16}$/);
    expect(b).toMatch(/^[a-z2-7]{16}$/);
    expect(a).not.toBe(b);
  });

  it('encodes exactly the first 10 octets of SHA-256 (decoding the label gives them back)', () => {
    const url = 'https://acme-v02.api.letsencrypt.org/acme/acct/123456789';
    const label = dnsAccountLabel(url);
    let bits = '';
    for (const char of label)
      bits += 'abcdefghijklmnopqrstuvwxyz234567'.indexOf(char).toString(2).padStart(5, '0');
    const decoded = Buffer.from(bits.match(/.{8}/g)!.map((byte) => Number.parseInt(byte, 2)));
    expect(decoded).toEqual(createHash('sha256').update(url).digest().subarray(0, 10));
  });
});
