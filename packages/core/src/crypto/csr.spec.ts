import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { generateCertificateKey } from './certificate-key.js';
import { createCsr } from './csr.js';
import { parseCsr } from './csr-parse.js';
import { CERTIFICATE_KEY_TYPES } from './key-types.js';
import { x509 as loadX509 } from './x509.js';

const x509 = loadX509();

const identifiers: Identifier[] = [
  { type: 'ip', value: '192.0.2.1' },
  { type: 'dns', value: 'example.test' },
  { type: 'dns', value: '*.example.test' },
  { type: 'ip', value: '2001:db8::1' },
];

describe('createCsr', () => {
  it.each(CERTIFICATE_KEY_TYPES)(
    'round-trips a CSR made with a %s key: SANs, CN, key type, SHA-256 signature',
    async (type) => {
      const key = await generateCertificateKey(type);
      const csr = await createCsr({ identifiers, key });
      expect(csr.pem).toMatch(
        /^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----/,
      );
      for (const input of [csr.pem, csr.der]) {
        const parsed = await parseCsr(input);
        expect(parsed.identifiers).toEqual(identifiers);
        expect(parsed.commonName).toBe('example.test'); // the first DNS name, even after an IP
        expect(parsed.publicKeyType).toBe(type);
      }
      const request = new x509.Pkcs10CertificateRequest(csr.der);
      expect(request.signatureAlgorithm).toMatchObject({ hash: { name: 'SHA-256' } });
      expect((request.signatureAlgorithm as { name?: string }).name).toBe(
        type.startsWith('ec') ? 'ECDSA' : 'RSASSA-PKCS1-v1_5',
      );
    },
    30_000,
  );

  it('leaves the CN out when the first DNS name is longer than 64 characters', async () => {
    const long = `${'a'.repeat(60)}.example.test`;
    const csr = await createCsr({
      identifiers: [
        { type: 'dns', value: long },
        { type: 'dns', value: 'short.test' },
      ],
      key: await generateCertificateKey(),
    });
    const parsed = await parseCsr(csr.pem);
    expect(parsed.commonName).toBeUndefined();
    expect(new x509.Pkcs10CertificateRequest(csr.der).subject).toBe('');
    expect(parsed.identifiers.map((id) => id.value)).toEqual([long, 'short.test']);
  });

  it('makes an IP-only CSR with an empty subject', async () => {
    const csr = await createCsr({
      identifiers: [{ type: 'ip', value: '::1' }],
      key: await generateCertificateKey(),
    });
    const parsed = await parseCsr(csr.der);
    expect(parsed).toMatchObject({ identifiers: [{ type: 'ip', value: '::1' }], publicKeyType: 'ec256' });
    expect(parsed.publicKey.type).toBe('public');
  });

  it('refuses no identifiers, and ip identifiers that are not addresses, with INVALID_CSR', async () => {
    const key = await generateCertificateKey();
    await expect(createCsr({ identifiers: [], key })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CSR,
      message: expect.stringContaining('no identifiers'),
    });
    await expect(createCsr({ identifiers: [{ type: 'ip', value: 'a.test' }], key })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CSR,
      message: expect.stringContaining('ip:a.test'),
    });
  });
});
