import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors/codes.js';
import { jwkThumbprint, publicJwkOf } from './public-jwk.js';

// RFC 7638 §3.1: the example RSA key (with its optional "alg" and "kid") and its published thumbprint.
const RFC7638_JWK = {
  kty: 'RSA',
  n:
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj' +
    'hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qM' +
    'QvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
};

describe('publicJwkOf / jwkThumbprint', () => {
  it('reproduces the RFC 7638 §3.1 thumbprint, dropping alg and kid', async () => {
    const jwk = publicJwkOf(createPublicKey({ key: RFC7638_JWK, format: 'jwk' }));
    expect(jwk).toEqual({ e: 'AQAB', kty: 'RSA', n: RFC7638_JWK.n });
    expect(await jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it.each(['P-256', 'P-384'])(
    'gives the canonical members of an EC %s key, private or public',
    async (curve) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const jwk = publicJwkOf(privateKey);
      expect(Object.keys(jwk)).toEqual(['crv', 'kty', 'x', 'y']);
      expect(publicJwkOf(publicKey)).toEqual(jwk);
      // RFC 7638 §3: SHA-256 over the required members, lexicographic order, no whitespace.
      const canonical = JSON.stringify(jwk);
      expect(await jwkThumbprint(jwk)).toBe(createHash('sha256').update(canonical).digest('base64url'));
    },
  );

  it('refuses keys without an ACME JWK form', () => {
    expect(() => publicJwkOf(generateKeyPairSync('ed25519').privateKey)).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_KEY }),
    );
    expect(() => publicJwkOf(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey)).toThrow(/P-521/);
  });
});
