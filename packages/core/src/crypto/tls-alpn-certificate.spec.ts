import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors/codes.js';
import { ACME_IDENTIFIER_OID, createTlsAlpn01Certificate } from './tls-alpn-certificate.js';
import { x509 as loadX509 } from './x509.js';

const x509 = loadX509();
const keyAuthorization = `${'t'.repeat(43)}.${'k'.repeat(43)}`;

async function made(identifier: { type: 'dns' | 'ip'; value: string }) {
  const created = await createTlsAlpn01Certificate({ identifier, keyAuthorization });
  return { created, parsed: new x509.X509Certificate(created.certificatePem) };
}

describe('createTlsAlpn01Certificate', () => {
  it('carries SHA-256(key authorization) as a DER OCTET STRING in the critical acmeIdentifier extension', async () => {
    const { parsed } = await made({ type: 'dns', value: 'a.example.test' });
    const extension = parsed.extensions.find((e) => e.type === ACME_IDENTIFIER_OID);
    expect(extension?.critical).toBe(true);
    const digest = createHash('sha256').update(keyAuthorization).digest();
    expect(Buffer.from(extension!.value).toString('hex')).toBe(`0420${digest.toString('hex')}`);
  });

  it('names the DNS identifier as its only subjectAltName', async () => {
    const { created } = await made({ type: 'dns', value: 'a.example.test' });
    const certificate = new X509Certificate(created.certificatePem);
    expect(certificate.subjectAltName).toBe('DNS:a.example.test');
    expect(certificate.checkHost('a.example.test')).toBe('a.example.test');
  });

  it.each(['192.0.2.7', '2001:db8::7'])(
    'names the IP address %s as an iPAddress SAN (RFC 8738 §6)',
    async (ip) => {
      const { created, parsed } = await made({ type: 'ip', value: ip });
      const san = parsed.getExtension(x509.SubjectAlternativeNameExtension);
      expect(san?.names.items.map((n) => ({ type: n.type, value: n.value }))).toEqual([
        { type: 'ip', value: ip },
      ]);
      expect(new X509Certificate(created.certificatePem).checkIP(ip)).toBe(ip);
    },
  );

  it('is self-signed with a fresh key per challenge, and the key matches the certificate', async () => {
    const first = await made({ type: 'dns', value: 'a.example.test' });
    const second = await made({ type: 'dns', value: 'a.example.test' });
    expect(first.created.privateKeyPem).not.toBe(second.created.privateKeyPem);
    const certificate = new X509Certificate(first.created.certificatePem);
    expect(certificate.checkPrivateKey(createPrivateKey(first.created.privateKeyPem))).toBe(true);
    expect(await first.parsed.isSelfSigned()).toBe(true);
    expect(first.parsed.notBefore.getTime()).toBeLessThan(Date.now());
  });

  it('refuses a wildcard and an ip identifier that is not an address', async () => {
    for (const identifier of [
      { type: 'dns', value: '*.example.test' },
      { type: 'ip', value: 'example.test' },
    ] as const) {
      await expect(createTlsAlpn01Certificate({ identifier, keyAuthorization })).rejects.toMatchObject({
        code: ErrorCodes.INVALID_OPTION,
      });
    }
  });
});
