import { describe, expect, it } from 'vitest';
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
});
