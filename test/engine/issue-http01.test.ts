import { parseCertificateChain, prepareOrder, runOrder } from '@certkeeper/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PebbleFixture, startPebbleFixture } from './pebble-fixture.js';

describe('issuing through http-01 from Pebble', () => {
  let fixture: PebbleFixture;
  beforeAll(async () => {
    fixture = await startPebbleFixture();
  });
  afterAll(() => fixture?.stop());

  it('issues a single-name certificate with the protocol-minimum requests', async () => {
    const client = fixture.client();
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: ['one.example.test'],
    });
    const { certificate, state: final } = await runOrder(state, fixture.deps(client));
    const chain = parseCertificateChain(certificate.pem);
    expect(chain[0]?.names).toEqual(['one.example.test']);
    expect(final.phase).toBe('done');
    expect(final.receipts).toEqual([]);
    // directory, newNonce, newOrder, authz, challenge, poll authz, finalize, poll order, download = 9 with a
    // stored account; polling may add a request if Pebble has not finished validating yet.
    expect(client.transport.stats.requests).toBeGreaterThanOrEqual(9);
    expect(client.transport.stats.requests).toBeLessThanOrEqual(11);
    expect(fixture.http01.registry.size).toBe(0);
  });
});
