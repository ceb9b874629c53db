import {
  abandonOrder,
  accountKeyFromPrivateKey,
  importCertificateKey,
  parseCertificate,
  prepareOrder,
  RevocationReason,
  runOrder,
  runStep,
} from '@certkeeper/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PebbleFixture, startPebbleFixture } from './pebble-fixture.js';

describe('revocation and abandoned orders', () => {
  let fixture: PebbleFixture;
  beforeAll(async () => {
    fixture = await startPebbleFixture();
  });
  afterAll(() => fixture?.stop());

  const issue = async (name: string) => {
    const client = fixture.client();
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: [name],
    });
    const { certificate, state: final } = await runOrder(state, fixture.deps(client));
    return { client, leaf: parseCertificate(certificate.pem), keyPem: final.certificateKeyPem! };
  };

  /** Pebble's management API tells whether it considers a serial revoked. */
  const status = (serialHex: string) => fixture.pebble.certificateStatus(serialHex);

  it('revokes with the account key and a reason', async () => {
    const { client, leaf } = await issue('revoke-account.example.test');
    expect((await status(leaf.serialNumberHex)).Status).toBe('Valid');
    await client.certificates.revoke(leaf.der, { reason: RevocationReason.superseded });
    expect(await status(leaf.serialNumberHex)).toMatchObject({
      Status: 'Revoked',
      Reason: RevocationReason.superseded,
    });
  });

  it("revokes with the certificate's own key", async () => {
    const { client, leaf, keyPem } = await issue('revoke-key.example.test');
    const certificateKey = await accountKeyFromPrivateKey(importCertificateKey(keyPem).privateKey);
    await client.certificates.revoke(leaf.der, { reason: RevocationReason.keyCompromise, certificateKey });
    expect((await status(leaf.serialNumberHex)).Status).toBe('Revoked');
  });

  it('deactivates the pending authorizations of an abandoned order and removes its responses', async () => {
    const client = fixture.client();
    let state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: ['abandon-a.example.test', 'abandon-b.example.test'],
    });
    const deps = fixture.deps(client);
    while (state.phase !== 'await-readiness') state = (await runStep(state, deps)).state;
    expect(fixture.http01.registry.size).toBe(2);
    const abandoned = await abandonOrder(state, deps);
    expect(abandoned.phase).toBe('failed');
    expect(fixture.http01.registry.size).toBe(0);
    for (const url of state.authorizationUrls) {
      expect((await client.authorizations.get(url)).authorization.status).toBe('deactivated');
    }
  });
});
