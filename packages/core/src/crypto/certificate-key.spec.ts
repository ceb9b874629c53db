import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import {
  certificateKeyTypeOf,
  exportPrivateKeyPem,
  generateCertificateKey,
  importCertificateKey,
} from './certificate-key.js';
import { CERTIFICATE_KEY_TYPES, type CertificateKeyType } from './key-types.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return CertkeeperError.isInstance(error) ? error.code : `not a CertkeeperError: ${String(error)}`;
  }
  return undefined;
}

const expectedDetails: Record<CertificateKeyType, { kind: string; detail: string | number }> = {
  ec256: { kind: 'ec', detail: 'prime256v1' },
  ec384: { kind: 'ec', detail: 'secp384r1' },
  rsa2048: { kind: 'rsa', detail: 2048 },
  rsa3072: { kind: 'rsa', detail: 3072 },
  rsa4096: { kind: 'rsa', detail: 4096 },
};

describe('certificate keys', () => {
  it('generates ec256 by default', async () => {
    const key = await generateCertificateKey();
    expect(key.type).toBe('ec256');
    expect(key.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(key.publicKey.type).toBe('public');
  });

  it.each(CERTIFICATE_KEY_TYPES)(
    'generates, exports and re-imports %s through PKCS#8 PEM',
    async (type) => {
      const key = await generateCertificateKey(type);
      const { kind, detail } = expectedDetails[type];
      expect(key.privateKey.asymmetricKeyType).toBe(kind);
      const details = key.privateKey.asymmetricKeyDetails;
      expect(kind === 'ec' ? details?.namedCurve : details?.modulusLength).toBe(detail);

      const pem = exportPrivateKeyPem(key);
      expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
      const imported = importCertificateKey(pem);
      expect(imported.type).toBe(type);
      expect(imported.privateKey.equals(key.privateKey)).toBe(true);
      expect(imported.publicKey.equals(key.publicKey)).toBe(true);
    },
    30_000,
  );

  it('imports SEC1 "EC PRIVATE KEY" and PKCS#1 "RSA PRIVATE KEY" PEM', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const sec1 = ec.export({ type: 'sec1', format: 'pem' }).toString();
    const pkcs1 = rsa.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(sec1).toContain('BEGIN EC PRIVATE KEY');
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    expect(importCertificateKey(sec1).type).toBe('ec384');
    expect(importCertificateKey(pkcs1).type).toBe('rsa2048');
  });

  it('skips an "EC PARAMETERS" block before the key, as openssl ecparam -genkey writes it', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    expect(importCertificateKey(params + ec.export({ type: 'sec1', format: 'pem' })).type).toBe('ec256');
  });

  it.each([
    ['RSA 1024-bit', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['RSA 2560-bit', () => generateKeyPairSync('rsa', { modulusLength: 2560 }).privateKey],
    ['ECDSA P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey],
    ['Ed25519', () => generateKeyPairSync('ed25519').privateKey],
  ])('refuses a %s key with INVALID_KEY, naming what it is', (text, make) => {
    const key = make();
    const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(codeOf(() => importCertificateKey(pem))).toBe(ErrorCodes.INVALID_KEY);
    expect(() => certificateKeyTypeOf(key)).toThrow(`The certificate key is ${text}`);
  });

  it.each([
    ['not PEM', 'hello', 'it is not PEM text'],
    [
      'a public key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
      '"PUBLIC KEY"',
    ],
    [
      'an encrypted PKCS#8 key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
        .toString(),
      '"ENCRYPTED PRIVATE KEY"',
    ],
    [
      'a legacy-encrypted SEC1 key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
        .toString(),
      'legacy PEM encryption',
    ],
    [
      'a damaged block',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      'is not a valid key',
    ],
  ])('refuses %s with INVALID_KEY and says why', (_label, pem, why) => {
    expect(codeOf(() => importCertificateKey(pem))).toBe(ErrorCodes.INVALID_KEY);
    expect(() => importCertificateKey(pem)).toThrow(why);
  });

  it('never quotes key material in its errors', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const body = pem.toString().split('\n')[1] ?? '';
    try {
      importCertificateKey(pem.toString());
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(body.slice(0, 20));
    }
  });

  it('refuses an unknown type to generate with INVALID_OPTION', async () => {
    await expect(generateCertificateKey('ec521' as CertificateKeyType)).rejects.toMatchObject({
      code: ErrorCodes.INVALID_OPTION,
      message: expect.stringContaining('ec256, ec384, rsa2048, rsa3072, rsa4096'),
    });
  });
});
