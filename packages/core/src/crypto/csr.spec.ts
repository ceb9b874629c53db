import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { type CertificateKey, generateCertificateKey } from './certificate-key.js';
import { createCsr } from './csr.js';
import { parseCsr } from './csr-parse.js';
import { CERTIFICATE_KEY_TYPES } from './key-types.js';
import { toWebCryptoSigner } from './webcrypto-key-pair.js';
import { asn1, x509 as loadX509 } from './x509.js';

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

/** How createCsr made its request before issue 13: @peculiar/x509's generator, signing through WebCrypto. */
async function referenceCsr(identifiers: readonly Identifier[], key: CertificateKey) {
  const firstDns = identifiers.find((id) => id.type === 'dns')?.value;
  const commonName = firstDns !== undefined && firstDns.length <= 64 ? firstDns : undefined;
  const signer = await toWebCryptoSigner(key);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: commonName !== undefined ? [{ CN: [commonName] }] : [],
    keys: signer.keys,
    signingAlgorithm: signer.signingAlgorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension(
        identifiers.map((id) => ({ type: id.type === 'ip' ? x509.IP : x509.DNS, value: id.value })),
      ),
    ],
  });
  return { der: new Uint8Array(csr.rawData), pem: csr.toString('pem') };
}

describe('createCsr writes the request x509 wrote', () => {
  const identifierSets: [string, Identifier[]][] = [
    ['names and IPs', identifiers],
    ['one name', [{ type: 'dns', value: 'www.example.test' }]],
    [
      'a wildcard first (a UTF8String CN)',
      [
        { type: 'dns', value: '*.example.test' },
        { type: 'dns', value: 'example.test' },
      ],
    ],
    ['an IDN in punycode', [{ type: 'dns', value: 'xn--bcher-kva.example.test' }]],
    ['a CN x509 reads as quoted and escaped text', [{ type: 'dns', value: '"q\\uoted".example.test' }]],
    ['a name too long for the CN', [{ type: 'dns', value: `${'a'.repeat(60)}.example.test` }]],
    [
      'IPs only',
      [
        { type: 'ip', value: '2001:db8:0:0:1:0:0:1' },
        { type: 'ip', value: '::ffff:192.0.2.9' },
        { type: 'ip', value: '10.0.0.1' },
      ],
    ],
  ];

  it.each(CERTIFICATE_KEY_TYPES)(
    'with a %s key: the same signed content and algorithm, a signature that verifies',
    async (type) => {
      const key = await generateCertificateKey(type);
      const { schema, csr: asnCsr } = asn1();
      for (const [label, ids] of identifierSets) {
        const made = await createCsr({ identifiers: ids, key });
        const reference = await referenceCsr(ids, key);
        const ours = schema.AsnConvert.parse(made.der, asnCsr.CertificationRequest);
        const theirs = schema.AsnConvert.parse(reference.der, asnCsr.CertificationRequest);
        const info = Buffer.from(schema.AsnConvert.serialize(ours.certificationRequestInfo));
        expect(
          info.equals(Buffer.from(schema.AsnConvert.serialize(theirs.certificationRequestInfo))),
          label,
        ).toBe(true);
        expect(
          Buffer.from(schema.AsnConvert.serialize(ours.signatureAlgorithm)).equals(
            Buffer.from(schema.AsnConvert.serialize(theirs.signatureAlgorithm)),
          ),
          label,
        ).toBe(true);
        const ec = type.startsWith('ec');
        const publicKey = ec ? { key: key.publicKey, dsaEncoding: 'der' as const } : key.publicKey;
        expect(verify('sha256', info, publicKey, Buffer.from(ours.signature)), label).toBe(true);
        // RSA PKCS #1 v1.5 signatures are deterministic: the whole request, DER and PEM, is the same.
        if (!ec) {
          expect(Buffer.from(made.der).equals(Buffer.from(reference.der)), label).toBe(true);
          expect(made.pem, label).toBe(reference.pem);
        } else {
          // ECDSA signs afresh each time: the PEM's form (x509's, with no final newline) is the same.
          expect(made.pem.endsWith('\n-----END CERTIFICATE REQUEST-----'), label).toBe(true);
          expect(reference.pem.endsWith('\n-----END CERTIFICATE REQUEST-----'), label).toBe(true);
        }
      }
    },
    60_000,
  );
});
