import { type KeyObject, webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Identifier } from '../identifiers/identifier.js';
import { type CertificateKey, generateCertificateKey } from './certificate-key.js';
import { type CertificateFinding, inspectIssuedChain } from './verify-issued-chain.js';
import { toWebCryptoSigner } from './webcrypto-key-pair.js';
import { x509 as loadX509 } from './x509.js';

const x509 = loadX509();
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const now = new Date('2026-06-01T12:00:00Z');
const validity = { notBefore: new Date('2026-06-01T11:00:00Z'), notAfter: new Date('2026-08-30T11:00:00Z') };
const ordered: Identifier[] = [
  { type: 'dns', value: 'shop.example.test' },
  { type: 'dns', value: '*.shop.example.test' },
  { type: 'ip', value: '2001:db8::7' },
];

interface Ca {
  readonly keys: webcrypto.CryptoKeyPair;
  readonly cert: InstanceType<typeof x509.X509Certificate>;
}

let serial = 1;
async function ca(name: string, issuer?: Ca): Promise<Ca> {
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const extensions = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const cert = issuer
    ? await x509.X509CertificateGenerator.create({
        subject: `CN=${name}`,
        issuer: issuer.cert.subject,
        publicKey: keys.publicKey,
        signingKey: issuer.keys.privateKey,
        serialNumber: String(serial++).padStart(2, '0'),
        ...validity,
        signingAlgorithm: ecdsa,
        extensions: [...extensions, await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)],
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        name: `CN=${name}`,
        keys,
        serialNumber: String(serial++).padStart(2, '0'),
        ...validity,
        signingAlgorithm: ecdsa,
        extensions,
      });
  return { keys, cert };
}

async function leaf(
  issuer: Ca,
  key: CertificateKey,
  options: { names?: Identifier[]; notBefore?: Date; notAfter?: Date; selfSigned?: boolean } = {},
): Promise<string> {
  const publicKey = (await toWebCryptoSigner(key)).keys.publicKey;
  const names = (options.names ?? ordered).map((id) => ({ type: id.type, value: id.value }));
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${names[0]?.value ?? 'leaf'}`,
    issuer: options.selfSigned ? `CN=${names[0]?.value ?? 'leaf'}` : issuer.cert.subject,
    publicKey,
    signingKey: options.selfSigned ? (await toWebCryptoSigner(key)).keys.privateKey : issuer.keys.privateKey,
    serialNumber: String(serial++).padStart(2, '0'),
    notBefore: options.notBefore ?? validity.notBefore,
    notAfter: options.notAfter ?? validity.notAfter,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.SubjectAlternativeNameExtension(names),
      ...(options.selfSigned
        ? []
        : [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)]),
    ],
  });
  return cert.toString('pem');
}

const pem = (...parts: (string | Ca)[]) =>
  parts.map((part) => (typeof part === 'string' ? part : part.cert.toString('pem'))).join('\n');
const checks = (findings: readonly CertificateFinding[]) => findings.map((f) => f.check);

describe('inspectIssuedChain', () => {
  let root: Ca;
  let intermediate: Ca;
  let otherRoot: Ca;
  let otherIntermediate: Ca;
  let key: CertificateKey;
  let publicKey: KeyObject;
  const expect$ = () => ({ identifiers: ordered, publicKey, now, trustAnchors: [root.cert.toString('pem')] });

  beforeAll(async () => {
    root = await ca('Test Root');
    intermediate = await ca('Test Intermediate', root);
    otherRoot = await ca('Evil Root');
    otherIntermediate = await ca('Test Intermediate', otherRoot); // same name, other key
    key = await generateCertificateKey('ec256');
    publicKey = key.publicKey;
  });

  it('accepts the chain that was ordered: right key, names, validity, links and anchor', async () => {
    const chain = pem(await leaf(intermediate, key), intermediate);
    expect(inspectIssuedChain(chain, expect$())).toEqual([]);
    // Without trust anchors every other check still runs, and passes.
    expect(inspectIssuedChain(chain, { ...expect$(), trustAnchors: [] })).toEqual([]);
  });

  it('compares names case-insensitively, wildcards as ordered, IPs in canonical form', async () => {
    const names: Identifier[] = [
      { type: 'dns', value: 'SHOP.example.test' },
      { type: 'dns', value: '*.Shop.Example.Test' },
      { type: 'ip', value: '2001:db8:0:0:0:0:0:7' },
    ];
    const chain = pem(await leaf(intermediate, key, { names }), intermediate);
    expect(inspectIssuedChain(chain, expect$())).toEqual([]);
  });

  it('refuses a certificate for another key', async () => {
    const other = await generateCertificateKey('ec256');
    const findings = inspectIssuedChain(pem(await leaf(intermediate, other), intermediate), expect$());
    expect(checks(findings)).toEqual(['key']);
    expect(findings[0]!.detail).toMatch(/is not the CSR's \(ECDSA P-256, SPKI SHA-256 [0-9a-f]{16}…\)/);
  });

  it('refuses other names, listing expected and found', async () => {
    const names: Identifier[] = [
      { type: 'dns', value: 'shop.example.test' },
      { type: 'dns', value: 'evil.example.test' },
    ];
    const findings = inspectIssuedChain(
      pem(await leaf(intermediate, key, { names }), intermediate),
      expect$(),
    );
    expect(checks(findings)).toEqual(['names']);
    expect(findings[0]).toMatchObject({
      expected: ['*.shop.example.test', 'ip:2001:db8::7', 'shop.example.test'],
      found: ['evil.example.test', 'shop.example.test'],
    });
    expect(findings[0]!.detail).toContain(
      'missing *.shop.example.test, ip:2001:db8::7; not ordered evil.example.test',
    );
  });

  it('refuses a certificate that is expired or not valid yet (5 min of skew allowed)', async () => {
    const expired = await leaf(intermediate, key, { notAfter: new Date('2026-06-01T11:59:59Z') });
    expect(inspectIssuedChain(pem(expired, intermediate), expect$())[0]?.detail).toContain('it has expired');
    const future = await leaf(intermediate, key, { notBefore: new Date('2026-06-01T12:10:00Z') });
    expect(inspectIssuedChain(pem(future, intermediate), expect$())[0]?.detail).toContain('not valid yet');
    const skewed = await leaf(intermediate, key, { notBefore: new Date('2026-06-01T12:04:00Z') });
    expect(inspectIssuedChain(pem(skewed, intermediate), expect$())).toEqual([]);
  });

  it('refuses a truncated chain, naming depth 1 and the missing issuer', async () => {
    const findings = inspectIssuedChain(await leaf(intermediate, key), expect$());
    expect(findings).toEqual([
      expect.objectContaining({ check: 'chain', depth: 1, detail: expect.stringContaining('truncated') }),
    ]);
    expect(findings[0]!.detail).toContain('CN=Test Intermediate');
    // Also without trust anchors: a leaf alone proves nothing.
    expect(
      checks(inspectIssuedChain(await leaf(intermediate, key), { ...expect$(), trustAnchors: [] })),
    ).toEqual(['chain']);
  });

  it('accepts a leaf alone when a trust anchor issued it directly', async () => {
    const findings = inspectIssuedChain(await leaf(intermediate, key), {
      ...expect$(),
      trustAnchors: [intermediate.cert.toString('pem')],
    });
    expect(findings).toEqual([]);
  });

  it('refuses a broken link: an issuer of the same name with another key, at depth 1', async () => {
    const findings = inspectIssuedChain(pem(await leaf(intermediate, key), otherIntermediate), {
      ...expect$(),
      trustAnchors: [],
    });
    expect(findings).toEqual([
      expect.objectContaining({ check: 'chain', depth: 1, detail: expect.stringContaining('depth 1') }),
    ]);
  });

  it('refuses a chain to an untrusted root, and a self-signed issuer that is no anchor', async () => {
    const untrusted = inspectIssuedChain(
      pem(await leaf(otherIntermediate, key), otherIntermediate),
      expect$(),
    );
    expect(untrusted).toEqual([
      expect.objectContaining({
        check: 'trust',
        depth: 1,
        detail: expect.stringContaining('issued by CN=Evil Root'),
      }),
    ]);
    const selfSigned = inspectIssuedChain(pem(await leaf(otherRoot, key), otherRoot), expect$());
    expect(selfSigned).toEqual([
      expect.objectContaining({
        check: 'trust',
        detail: expect.stringContaining('self-signed CN=Evil Root'),
      }),
    ]);
    expect(selfSigned[0]!.detail).toContain('CN=Test Root');
  });

  it('refuses a self-signed leaf even without trust anchors', async () => {
    const findings = inspectIssuedChain(await leaf(intermediate, key, { selfSigned: true }), {
      ...expect$(),
      trustAnchors: [],
    });
    expect(findings).toEqual([
      expect.objectContaining({ check: 'chain', depth: 0, detail: expect.stringContaining('self-signed') }),
    ]);
  });

  it('lists every finding of a certificate for other names from an untrusted issuer', async () => {
    const other = await generateCertificateKey('ec256');
    const names: Identifier[] = [{ type: 'dns', value: 'evil.example.test' }];
    const findings = inspectIssuedChain(
      pem(await leaf(otherIntermediate, other, { names }), otherIntermediate),
      expect$(),
    );
    expect(checks(findings)).toEqual(['key', 'names', 'trust']);
  });

  it('reports an unreadable chain instead of throwing', () => {
    const findings = inspectIssuedChain(
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      expect$(),
    );
    expect(checks(findings)).toEqual(['chain']);
    expect(findings[0]!.detail).toContain('cannot be read');
  });
});
