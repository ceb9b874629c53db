import { generateKeyPairSync, X509Certificate as NodeX509Certificate, webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors/codes.js';
import {
  certificateMatchesKey,
  type ParsedCertificate,
  parseCertificate,
  parseCertificateChain,
} from './certificate.js';
import { type CertificateKey, generateCertificateKey } from './certificate-key.js';
import { splitPemChain } from './pem.js';
import { toWebCryptoSigner } from './webcrypto-key-pair.js';
import { x509 as loadX509 } from './x509.js';

const x509 = loadX509();

const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2026-04-01T00:00:00Z');

interface TestChain {
  readonly leafKey: CertificateKey;
  readonly pems: readonly string[]; // leaf, intermediate, root
}

/** Issues root (RSA 2048) → intermediate (P-384) → leaf (P-256), the shape of an ACME chain. */
async function issueChain(): Promise<TestChain> {
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]) };
  const rootKeys = await webcrypto.subtle.generateKey({ ...rsa, modulusLength: 2048 }, true, [
    'sign',
    'verify',
  ]);
  const intermediateKeys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
    'sign',
    'verify',
  ]);
  const leafKey = await generateCertificateKey('ec256');
  const leafPublic = (await toWebCryptoSigner(leafKey)).keys.publicKey;
  const caExtensions = async (publicKey: webcrypto.CryptoKey) => [
    new x509.BasicConstraintsExtension(true, undefined, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Test Root',
    keys: rootKeys,
    serialNumber: '01',
    notBefore,
    notAfter,
    signingAlgorithm: rsa,
    extensions: await caExtensions(rootKeys.publicKey),
  });
  const intermediate = await x509.X509CertificateGenerator.create({
    subject: 'CN=Test Intermediate',
    issuer: root.subject,
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    serialNumber: '02',
    notBefore,
    notAfter,
    signingAlgorithm: rsa,
    extensions: [
      ...(await caExtensions(intermediateKeys.publicKey)),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const leaf = await x509.X509CertificateGenerator.create({
    subject: 'CN=www.example.test',
    issuer: intermediate.subject,
    publicKey: leafPublic,
    signingKey: intermediateKeys.privateKey,
    serialNumber: '87654321', // high bit set: DER needs a 0x00 sign byte
    notBefore,
    notAfter,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-384' },
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'www.example.test' },
        { type: 'dns', value: '*.Example.test' },
        { type: 'ip', value: '192.0.2.7' },
        { type: 'ip', value: '2001:db8:0:0:0:0:0:7' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(intermediateKeys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(leafPublic),
    ],
  });
  return { leafKey, pems: [leaf, intermediate, root].map((cert) => cert.toString('pem')) };
}

let chain: TestChain;
let parsed: ParsedCertificate[];
beforeAll(async () => {
  chain = await issueChain();
  // Windows line endings and explanatory text between blocks, as some CAs and tools write them.
  const pem = chain.pems.map((block) => `Subject: something\r\n${block.replace(/\n/g, '\r\n')}`).join('\r\n');
  parsed = parseCertificateChain(pem);
});

describe('splitPemChain', () => {
  it('splits a 3-certificate chain into strict PEM blocks, in order', () => {
    const blocks = splitPemChain(`${chain.pems.join('\n')}\n`);
    expect(blocks).toHaveLength(3);
    blocks.forEach((block, index) => {
      expect(block).toMatch(
        /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/,
      );
      expect(
        new NodeX509Certificate(block).raw.equals(new NodeX509Certificate(chain.pems[index] ?? '').raw),
      ).toBe(true);
    });
  });

  it('leaves out blocks that are not certificates', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(splitPemChain(`${key}${chain.pems[0]}`)).toHaveLength(1);
  });

  it.each([
    ['no certificate', 'hello', 'it has no "-----BEGIN CERTIFICATE-----" block'],
    [
      'an unterminated block',
      () => `${chain.pems[0]}-----BEGIN CERTIFICATE-----\nMIIB\n`,
      '1 of 2 certificate',
    ],
    [
      'damaged base64',
      '-----BEGIN CERTIFICATE-----\nMI*B\n-----END CERTIFICATE-----\n',
      'certificate 1 of 1 has damaged',
    ],
  ])('refuses %s with INVALID_CERTIFICATE', (_label, input, why) => {
    const text = typeof input === 'function' ? input() : input;
    expect(() => splitPemChain(text)).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CERTIFICATE }),
    );
    expect(() => splitPemChain(text)).toThrow(why);
  });
});

describe('parseCertificateChain / parseCertificate', () => {
  it('reads the leaf: names, IPs, validity, serial, key identifiers, key type', () => {
    const [leaf, intermediate] = parsed;
    expect(leaf).toMatchObject({
      subject: 'CN=www.example.test',
      issuer: 'CN=Test Intermediate',
      names: ['www.example.test', '*.example.test'],
      ipAddresses: ['192.0.2.7', '2001:db8::7'],
      notBefore,
      notAfter,
      serialNumberHex: '0087654321',
      publicKeyType: 'ec256',
      isCa: false,
    });
    expect(leaf?.authorityKeyIdentifierHex).toMatch(/^[0-9a-f]{40}$/);
    expect(leaf?.authorityKeyIdentifierHex).toBe(intermediate?.subjectKeyIdentifierHex);
    expect(leaf?.pem).toBe(`${chain.pems[0]}\n`); // strict form: x509 writes no final newline
  });

  it('reads the issuers as CAs, with their key types (or none for a type we do not issue)', () => {
    const [, intermediate, root] = parsed;
    expect(intermediate).toMatchObject({
      isCa: true,
      publicKeyType: 'ec384',
      serialNumberHex: '02',
      names: [],
    });
    expect(root).toMatchObject({
      isCa: true,
      publicKeyType: 'rsa2048',
      subject: 'CN=Test Root',
      issuer: 'CN=Test Root',
    });
    expect(root?.authorityKeyIdentifierHex).toBeUndefined();
    expect(intermediate?.authorityKeyIdentifierHex).toBe(root?.subjectKeyIdentifierHex);
  });

  it("agrees with Node's own X.509 parser", () => {
    for (const cert of parsed) {
      const node = new NodeX509Certificate(cert.der);
      expect(cert.serialNumberHex.replace(/^00/, '')).toBe(node.serialNumber.toLowerCase());
      expect(cert.notAfter.getTime()).toBe(new Date(node.validTo).getTime());
      expect(node.raw.equals(Buffer.from(cert.der))).toBe(true);
    }
    const sans = new NodeX509Certificate(parsed[0]?.der ?? new Uint8Array()).subjectAltName ?? '';
    expect(sans).toContain('IP Address:2001:DB8:0:0:0:0:0:7');
  });

  it('parses the first certificate of a chain, and DER input', () => {
    expect(parseCertificate(chain.pems.join('')).subject).toBe('CN=www.example.test');
    expect(parseCertificate(parsed[2]?.der ?? new Uint8Array()).subject).toBe('CN=Test Root');
  });

  it('names the certificate of the chain that cannot be parsed', () => {
    const junk = '-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n';
    const pem = `${chain.pems[0]}${junk}${chain.pems[2]}`;
    expect(() => parseCertificateChain(pem)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.INVALID_CERTIFICATE,
        message: expect.stringMatching(/^Certificate 2 of 3 could not be parsed/),
      }),
    );
    expect(() => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(
      /not a valid X\.509/,
    );
  });
});

describe('certificateMatchesKey', () => {
  it('is true for the key the certificate was issued to, and false for any other', async () => {
    const leaf = parsed[0] as ParsedCertificate;
    expect(certificateMatchesKey(leaf, chain.leafKey)).toBe(true);
    expect(certificateMatchesKey(leaf, chain.leafKey.privateKey)).toBe(true);
    expect(certificateMatchesKey(leaf, await generateCertificateKey('ec256'))).toBe(false);
    expect(certificateMatchesKey(leaf, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)).toBe(
      false,
    );
    expect(certificateMatchesKey(parsed[1] as ParsedCertificate, chain.leafKey)).toBe(false);
  });
});
