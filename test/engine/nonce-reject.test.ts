import { prepareOrder, runOrder } from '@certkeeper/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PebbleFixture, startPebbleFixture } from './pebble-fixture.js';

describe('issuance while Pebble rejects half of all good nonces', () => {
  let fixture: PebbleFixture;
  beforeAll(async () => {
    fixture = await startPebbleFixture({ env: { PEBBLE_WFE_NONCEREJECT: '50' } });
  }, 120_000);
  afterAll(() => fixture?.stop());

  it('completes, retrying each badNonce with a fresh nonce', async () => {
    let badNonceRetries = 0;
    for (let i = 0; i < 3; i++) {
      const client = fixture.client();
      const state = await prepareOrder({
        directoryUrl: fixture.pebble.directoryUrl,
        accountUrl: fixture.accountUrl,
        identifiers: [`n${i}.nonce.example.test`],
      });
      const { state: final } = await runOrder(state, fixture.deps(client), { maxStepRetries: 5 });
      expect(final.phase).toBe('done');
      badNonceRetries += client.transport.stats.badNonceRetries;
    }
    // With a 50% rejection rate over ~27 signed requests, no rejection at all is (1/2)^27-unlikely.
    expect(badNonceRetries).toBeGreaterThan(0);
  });
});
