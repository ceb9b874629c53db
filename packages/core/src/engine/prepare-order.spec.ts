import { describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateCertificateKey } from '../crypto/certificate-key.js';
import { ErrorCodes } from '../errors/codes.js';
import { prepareOrder } from './prepare-order.js';

const letsEncrypt = {
  directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory',
  accountUrl: 'https://acme-v02.api.letsencrypt.org/acme/acct/1',
};

describe('prepareOrder', () => {
  it("refuses IP addresses for Let's Encrypt outside shortlived, before any state or request exists", async () => {
    await expect(prepareOrder({ ...letsEncrypt, identifiers: ['192.0.2.7'] })).rejects.toMatchObject({
      code: ErrorCodes.PROFILE_VIOLATION,
    });
    await expect(
      prepareOrder({ ...letsEncrypt, identifiers: ['192.0.2.7'], profile: 'tlsserver' }),
    ).rejects.toMatchObject({ code: ErrorCodes.PROFILE_VIOLATION });
    const state = await prepareOrder({ ...letsEncrypt, identifiers: ['192.0.2.7'], profile: 'shortlived' });
    expect([state.phase, state.profile, state.identifiers]).toEqual([
      'create-order',
      'shortlived',
      [{ type: 'ip', value: '192.0.2.7' }],
    ]);
  });

  it('certifies a given key of the asked type again (a renewal keeping its key), and refuses another type', async () => {
    const pem = exportPrivateKeyPem(await generateCertificateKey('ec384'));
    const state = await prepareOrder({
      ...letsEncrypt,
      identifiers: ['a.example.test'],
      keyType: 'ec384',
      certificateKeyPem: pem,
    });
    expect(state.certificateKeyPem).toBe(pem);
    await expect(
      prepareOrder({
        ...letsEncrypt,
        identifiers: ['a.example.test'],
        keyType: 'ec256',
        certificateKeyPem: pem,
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.INVALID_KEY });
  });
});
