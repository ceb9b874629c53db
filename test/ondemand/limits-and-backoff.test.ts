import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersAtCa } from '../support/orders-at-ca.js';
import { handshake, type OnDemandRig, startOnDemandRig } from './support.js';

/**
 * What the policy guarantees holds for handshakes too: a name the CA refused fails fast until its backoff ends, and
 * the on-demand issuance budget stops a flood of allowed names — each without asking the CA.
 */
describe('on-demand TLS: backoff and issuance limits', () => {
  let rig: OnDemandRig;
  const refusedWithin = async (name: string) => {
    const started = performance.now();
    const error = await handshake(rig.port, name, { ca: rig.root }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    return { error, ms: performance.now() - started };
  };

  beforeAll(async () => {
    rig = await startOnDemandRig({ domainBlocklist: ['blocked.ondemand.example.test'] });
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('a failed name fails fast until its retry time; a spent global budget refuses new names without an order', async () => {
    const { onDemand } = await rig.serve({
      allow: '*.ondemand.example.test',
      rateLimits: { global: { issuances: 2, perMs: 600_000 } },
    });
    const failures: string[] = [];
    onDemand.events.on('failed', (event) =>
      failures.push(`${event.name}: ${(event.error as Error).message}`),
    );

    expect((await handshake(rig.port, 'first.ondemand.example.test', { ca: rig.root })).authorized).toBe(
      true,
    );
    expect(rig.ensureCalls()).toBe(1);

    // The CA refuses this name: the attempt fails, the policy records a backoff.
    expect((await refusedWithin('blocked.ondemand.example.test')).error).toBeDefined();
    expect(rig.ensureCalls()).toBe(2);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/blocked\.ondemand\.example\.test.*fail at once until/s);
    // ...and from then on fails at once, without asking the manager (so without any request to the CA).
    const again = await refusedWithin('blocked.ondemand.example.test');
    expect(again.error).toBeDefined();
    expect(again.ms).toBeLessThan(500);
    expect(rig.ensureCalls()).toBe(2);

    // Two issuances spent the global budget: a third allowed name is not ordered.
    const third = await refusedWithin('third.ondemand.example.test');
    expect(third.error).toBeDefined();
    expect(rig.ensureCalls()).toBe(2);
    expect(failures.at(-1)).toMatch(/global on-demand issuance limit is spent until/);
    const names = (await ordersAtCa(rig.store, rig.pebble)).flatMap((order) =>
      order.identifiers.map((i) => i.value),
    );
    expect(names).toEqual(['first.ondemand.example.test']);
    console.log(
      `on-demand: backed-off name failed in ${again.ms.toFixed(1)} ms, budget-refused name in ${third.ms.toFixed(1)} ms`,
    );
  });
});
