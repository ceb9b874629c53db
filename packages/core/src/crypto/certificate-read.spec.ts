import { createPublicKey, webcrypto } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readIpLiteral } from '../identifiers/ip-literal.js';
import { type ParsedCertificate, parseCertificate, parseCertificateChain } from './certificate.js';
import { describeKey } from './key-types.js';
import { encodePem, toDer } from './pem.js';
import { asn1, x509 as loadX509, type X509 } from './x509.js';

const x509 = loadX509();

/** Exposes the serial's raw DER content octets, which the public getter strips of their sign byte. */
class CertificateReader extends x509.X509Certificate {
  get serialContentOctets(): Uint8Array {
    return new Uint8Array(this.asn.tbsCertificate.serialNumber);
  }
}

/**
 * How certkeeper read certificates before issue 13, through @peculiar/x509's X509Certificate and getExtension:
 * the reference the one-pass reading must equal, field for field.
 */
function referenceRead(pem: string): ParsedCertificate {
  const der = toDer(pem, ['CERTIFICATE'])!;
  const cert = new CertificateReader(der);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  let publicKeyType: ParsedCertificate['publicKeyType'];
  try {
    publicKeyType = describeKey(
      createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' }),
    ).certificateKeyType;
  } catch {
    publicKeyType = undefined;
  }
  const canonicalIp = (value: string) => {
    const ip = readIpLiteral(value);
    return ip.ok ? ip.value : value;
  };
  return {
    pem: encodePem(der, 'CERTIFICATE'),
    der,
    subject: cert.subject,
    issuer: cert.issuer,
    names: san.filter((name) => name.type === 'dns').map((name) => name.value.toLowerCase()),
    ipAddresses: san.filter((name) => name.type === 'ip').map((name) => canonicalIp(name.value)),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serialNumberHex: Buffer.from(cert.serialContentOctets).toString('hex'),
    ...(aki ? { authorityKeyIdentifierHex: aki.toLowerCase() } : {}),
    ...(ski ? { subjectKeyIdentifierHex: ski.toLowerCase() } : {}),
    ...(publicKeyType ? { publicKeyType } : {}),
    isCa: cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
  };
}

const ec = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function issue(options: {
  readonly subject: X509.X509CertificateCreateParamsName;
  readonly serialNumber?: string;
  readonly extensions?: (keys: webcrypto.CryptoKeyPair) => Promise<X509.Extension[]> | X509.Extension[];
  readonly notAfter?: Date;
  readonly keyAlgorithm?: webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams | { name: 'Ed25519' };
}): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey(
    (options.keyAlgorithm ?? ec) as webcrypto.EcKeyGenParams,
    true,
    ['sign', 'verify'],
  )) as webcrypto.CryptoKeyPair;
  const signer = (await webcrypto.subtle.generateKey(ec, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    subject: options.subject,
    issuer: 'CN=Edge Case CA, O=certkeeper tests',
    serialNumber: options.serialNumber ?? '01',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: options.notAfter ?? new Date('2026-04-01T00:00:00Z'),
    signingAlgorithm: ec,
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    extensions: options.extensions ? await options.extensions(keys) : [],
  });
  return cert.toString('pem');
}

const edgeCases: [string, () => Promise<string>][] = [
  [
    'serial with the high bit set, IPv4 and IPv6 SANs, AKI and SKI',
    () =>
      issue({
        subject: 'CN=www.example.test',
        serialNumber: 'ff00000000000001',
        extensions: async (keys) => [
          new x509.BasicConstraintsExtension(false),
          new x509.SubjectAlternativeNameExtension([
            { type: 'dns', value: 'WWW.Example.test' },
            { type: 'ip', value: '2001:0db8:0000:0000:0000:ff00:0042:8329' },
            { type: 'email', value: 'hostmaster@example.test' },
            { type: 'ip', value: '192.0.2.1' },
            { type: 'url', value: 'https://example.test/' },
            { type: 'ip', value: '::ffff:192.0.2.2' },
            { type: 'dns', value: '*.example.test' },
          ]),
          await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
      }),
  ],
  ['a serial of one byte with the high bit set', () => issue({ subject: 'CN=a', serialNumber: '80' })],
  ['a serial with a leading zero byte', () => issue({ subject: 'CN=a', serialNumber: '0001ff' })],
  ['no extensions at all, and an empty subject', () => issue({ subject: [] })],
  [
    'a non-ASCII subject with commas, quotes, plus and semicolon signs',
    () =>
      issue({
        subject: [
          { C: ['DE'] },
          { O: ['Ümlaut & Söhne, GmbH'] },
          { OU: ['"quoted" + plus; semi <angle> \\ back'] },
          { CN: [' leading and trailing space '] },
        ],
      }),
  ],
  [
    'control characters (two newlines, a tab), a leading # and every x509 attribute name',
    () =>
      issue({
        subject: [
          { CN: ['line\nbreak\ttab\nagain'] },
          { OU: [{ utf8String: '#not hex' }] },
          { L: ['l'], ST: ['st'], G: ['g'], I: ['i'], SN: ['sn'], T: ['t'] },
          { DC: ['example'] },
        ] as unknown as X509.X509CertificateCreateParamsName,
      }),
  ],
  [
    'a multi-valued RDN and an e-mail attribute',
    () => issue({ subject: [{ CN: ['a'], O: ['b'] }, { E: ['x@example.test'] }] }),
  ],
  [
    'BMPString, UniversalString and raw (#hex) attribute values, an unknown attribute type',
    () =>
      issue({
        // x509's JSON names take { bmpString } and the like (its typings say strings only).
        subject: [
          { CN: [{ bmpString: 'BMP ✓ name' }] },
          { O: [{ universalString: 'Universal' }] },
          { '2.5.4.5': ['#120431323334'] },
          { '1.2.3.4.5': ['private'] },
        ] as unknown as X509.X509CertificateCreateParamsName,
      }),
  ],
  [
    'an AKI with issuer and serial but no keyIdentifier, and an empty SKI',
    () =>
      issue({
        subject: 'CN=aki.example.test',
        extensions: () => [
          new x509.AuthorityKeyIdentifierExtension({
            name: new x509.GeneralNames([{ type: 'dn', value: 'CN=Issuer' }]),
            serialNumber: '0a',
          }),
          new x509.SubjectKeyIdentifierExtension(''),
          new x509.BasicConstraintsExtension(true, 0, true),
        ],
      }),
  ],
  [
    'a GeneralizedTime notAfter (after 2049)',
    () => issue({ subject: 'CN=g', notAfter: new Date('2051-06-01T12:34:56Z') }),
  ],
  [
    'an RSA key',
    () =>
      issue({
        subject: 'CN=rsa',
        keyAlgorithm: {
          name: 'RSASSA-PKCS1-v1_5',
          hash: 'SHA-256',
          publicExponent: new Uint8Array([1, 0, 1]),
          modulusLength: 2048,
        },
      }),
  ],
  [
    'an Ed25519 key (not one certkeeper issues for)',
    () => issue({ subject: 'CN=ed', keyAlgorithm: { name: 'Ed25519' } }),
  ],
];

describe('reading a certificate in one pass', () => {
  it.each(edgeCases)('reads what @peculiar/x509 read: %s', async (_label, make) => {
    const pem = await make();
    expect(parseCertificate(pem)).toStrictEqual(referenceRead(pem));
  });

  it("reads each of Node's bundled root certificates as @peculiar/x509 did", () => {
    let read = 0;
    for (const pem of rootCertificates) {
      let reference: ParsedCertificate;
      try {
        reference = referenceRead(pem);
      } catch {
        continue; // unreadable before: not a case for equality
      }
      expect(parseCertificate(pem), reference.subject).toStrictEqual(reference);
      read++;
    }
    // Real-world names: T61, BMP and UTF-8 strings, e-mail attributes, serials with their sign byte.
    expect(read).toBeGreaterThan(100);
  });
});

describe('the read cache', () => {
  let pem: string;
  beforeAll(async () => {
    pem = await issue({
      subject: 'CN=cache.example.test',
      extensions: () => [
        new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'cache.example.test' }]),
      ],
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('parses a certificate read again once, and gives each caller objects of its own', () => {
    const parse = vi.spyOn(asn1().schema.AsnConvert, 'parse');
    const first = parseCertificate(pem);
    const calls = parse.mock.calls.length;
    first.notAfter.setTime(0);
    (first.names as string[]).push('changed.example.test');
    const second = parseCertificateChain(pem)[0]!;
    expect(parse.mock.calls.length).toBe(calls);
    expect(second).toStrictEqual(referenceRead(pem));
    expect(second.notAfter).not.toBe(first.notAfter);
  });

  it('keeps the last 64 certificates: an older one is parsed again, to the same facts', async () => {
    const before = parseCertificate(pem);
    for (let i = 0; i < 64; i++) parseCertificate(await issue({ subject: `CN=filler ${i}` }));
    const parse = vi.spyOn(asn1().schema.AsnConvert, 'parse');
    expect(parseCertificate(pem)).toStrictEqual(before);
    expect(parse).toHaveBeenCalled();
  });

  it('does not keep what cannot be parsed', () => {
    const junk = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
    expect(() => parseCertificate(junk)).toThrow(/not a valid X\.509/);
    expect(() => parseCertificate(junk)).toThrow(/not a valid X\.509/);
  });
});
