import { generateKeyPairSync, KeyObject, webcrypto } from 'node:crypto';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors/codes.js';
import {
  type AccountKeyAlgorithm,
  accountKeyFromPrivateKey,
  exportAccountKeyJwk,
  generateAccountKey,
  importAccountKey,
  jwsAlgorithmOf,
} from './account-key.js';
import { exportPrivateKeyPem } from './certificate-key.js';

describe('account keys', () => {
  it('generates ES256 (P-256) by default', async () => {
    const key = await generateAccountKey();
    expect(key.alg).toBe('ES256');
    expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(key.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each<AccountKeyAlgorithm>(['ES256', 'ES384', 'RS256'])(
    'a generated %s key signs a JWS that verifies with its public JWK',
    async (alg) => {
      const key = await generateAccountKey(alg);
      expect(key.alg).toBe(alg);
      const jws = await new CompactSign(new TextEncoder().encode('{}'))
        .setProtectedHeader({ alg: key.alg, jwk: { ...key.publicJwk } })
        .sign(key.privateKey);
      const verified = await compactVerify(jws, await importJWK({ ...key.publicJwk }, alg));
      expect(new TextDecoder().decode(verified.payload)).toBe('{}');
      expect(verified.protectedHeader.alg).toBe(alg);
    },
    20_000,
  );

  it('round-trips through PKCS#8 PEM and through a private JWK (object and JSON text)', async () => {
    const key = await generateAccountKey('ES384');
    const fromPem = await importAccountKey(exportPrivateKeyPem(key));
    const jwk = exportAccountKeyJwk(key);
    expect(typeof jwk.d).toBe('string');
    const fromJwk = await importAccountKey(jwk);
    const fromJson = await importAccountKey(JSON.stringify(jwk));
    for (const imported of [fromPem, fromJwk, fromJson]) {
      expect(imported.alg).toBe('ES384');
      expect(imported.publicJwk).toEqual(key.publicJwk);
      expect(imported.thumbprint).toBe(key.thumbprint);
    }
  });

  it('imports SEC1 and PKCS#1 PEM, and larger RSA keys as RS256', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey;
    expect((await importAccountKey(ec.export({ type: 'sec1', format: 'pem' }).toString())).alg).toBe('ES256');
    expect((await importAccountKey(rsa.export({ type: 'pkcs1', format: 'pem' }).toString())).alg).toBe(
      'RS256',
    );
  });

  it('wraps a WebCrypto CryptoKey, keeping it as the signing key', async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const key = await accountKeyFromPrivateKey(pair.privateKey);
    expect(key.privateKey).toBe(pair.privateKey);
    expect(key.alg).toBe('ES256');
    const exported = await webcrypto.subtle.exportKey('jwk', pair.publicKey);
    expect(key.publicJwk).toEqual({ crv: 'P-256', kty: 'EC', x: exported.x, y: exported.y });
  });

  it('maps keys to the JWS alg they sign with', () => {
    expect(jwsAlgorithmOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)).toBe('ES256');
    expect(jwsAlgorithmOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)).toBe('ES384');
    expect(jwsAlgorithmOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)).toBe('RS256');
  });

  it.each([
    ['RSA 1024-bit', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['ECDSA P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey],
    ['Ed25519', () => generateKeyPairSync('ed25519').privateKey],
  ])('refuses a %s account key with INVALID_KEY', async (text, make) => {
    const pem = make().export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(importAccountKey(pem)).rejects.toMatchObject({
      code: ErrorCodes.INVALID_KEY,
      message: expect.stringContaining(`The account key is ${text}`),
    });
  });

  it('refuses public keys, public JWKs and broken JSON without quoting them', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expect(accountKeyFromPrivateKey(publicKey)).rejects.toMatchObject({ code: ErrorCodes.INVALID_KEY });
    await expect(importAccountKey(publicKey.export({ format: 'jwk' }))).rejects.toThrow('no private part');
    const secretJson = JSON.stringify(privateKey.export({ format: 'jwk' }));
    const broken = secretJson.slice(0, -1);
    const error = await importAccountKey(broken).then(
      () => expect.fail('a broken key must be refused'),
      (caught: unknown) => caught as Error,
    );
    expect(error).toMatchObject({ code: ErrorCodes.INVALID_KEY });
    expect(error.message).not.toContain(secretJson.slice(10, 30));
    expect(error.cause).toBeUndefined();
  });

  it('refuses to generate unknown algorithms and RSA below 2048 bits with INVALID_OPTION', async () => {
    await expect(generateAccountKey('ES512' as AccountKeyAlgorithm)).rejects.toMatchObject({
      code: ErrorCodes.INVALID_OPTION,
    });
    await expect(generateAccountKey('RS256', { rsaModulusLength: 1024 })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_OPTION,
    });
  });

  it('exposes no key material when serialised', async () => {
    const key = await generateAccountKey();
    expect(key.privateKey).toBeInstanceOf(KeyObject);
    const jwk = exportAccountKeyJwk(key);
    expect(JSON.stringify(key)).not.toContain(String(jwk.d));
  });
});
