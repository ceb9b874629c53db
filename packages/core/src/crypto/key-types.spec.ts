import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeKey, isCertificateKeyType } from './key-types.js';

describe('describeKey', () => {
  it.each([
    ['P-256', { text: 'ECDSA P-256', family: 'ec', curve: 'P-256', certificateKeyType: 'ec256' }],
    ['P-384', { text: 'ECDSA P-384', family: 'ec', curve: 'P-384', certificateKeyType: 'ec384' }],
    ['P-521', { text: 'ECDSA P-521', family: 'ec', curve: 'P-521' }],
    ['secp256k1', { text: 'ECDSA secp256k1', family: 'ec', curve: 'secp256k1' }],
  ])('describes an EC %s key', (curve, expected) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    expect(describeKey(privateKey)).toEqual(expected);
    expect(describeKey(publicKey)).toEqual(expected);
  });

  it('maps only RSA 2048/3072/4096 to certificate key types', () => {
    const rsa = (bits: number) => describeKey(generateKeyPairSync('rsa', { modulusLength: bits }).publicKey);
    expect(rsa(2048)).toEqual({
      text: 'RSA 2048-bit',
      family: 'rsa',
      modulusLength: 2048,
      certificateKeyType: 'rsa2048',
    });
    expect(rsa(1024)).toEqual({ text: 'RSA 1024-bit', family: 'rsa', modulusLength: 1024 });
  });

  it('names other kinds without mapping them', () => {
    expect(describeKey(generateKeyPairSync('ed25519').privateKey)).toEqual({
      text: 'Ed25519',
      family: 'other',
    });
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey;
    expect(describeKey(pss)).toEqual({ text: 'RSA-PSS', family: 'other' });
  });
});

describe('isCertificateKeyType', () => {
  it('accepts the five supported names and nothing else', () => {
    expect(['ec256', 'ec384', 'rsa2048', 'rsa3072', 'rsa4096'].every(isCertificateKeyType)).toBe(true);
    expect(['ec521', 'rsa1024', 'EC256', '', 256, undefined].some(isCertificateKeyType)).toBe(false);
  });
});
