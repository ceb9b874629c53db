import type { OnDemandCertificateEvent } from '@certkeeper/ondemand';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersAtCa } from '../support/orders-at-ca.js';
import { canonicalSerial, handshake, type OnDemandRig, startOnDemandRig } from './support.js';

/**
 * Background renewal with real certificates: Pebble's only profile issues 30-second certificates, so the lifetime
 * rule (half of a short lifetime) or Pebble's ARI window makes each due within seconds. The server is never
 * restarted: the same listener presents the renewed certificate to new handshakes.
 */
describe('on-demand TLS, renewed in the background', () => {
  let rig: OnDemandRig;

  beforeAll(async () => {
    rig = await startOnDemandRig({ profiles: { short: { validityPeriodSeconds: 30 } } });
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('a certificate near expiry is renewed by the timer and new handshakes get it without a restart', async () => {
    const name = 'renew.ondemand.example.test';
    const { onDemand, server } = await rig.serve({ allow: '*.ondemand.example.test' });
    const first = await handshake(rig.port, name, { ca: rig.root });
    expect(first.authorized).toBe(true);
    const renewed = await new Promise<OnDemandCertificateEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no renewal within 45 s')), 45_000);
      onDemand.events.once('renewed', (event) => {
        clearTimeout(timer);
        resolve(event);
      });
    });
    expect(renewed.name).toBe(name);
    const after = await handshake(rig.port, name, { ca: rig.root });
    expect(after.authorized).toBe(true);
    expect(after.serialNumber).toBe(canonicalSerial(renewed.serialNumberHex));
    expect(after.serialNumber).not.toBe(first.serialNumber);
    expect(server.listening).toBe(true);
    // Two orders for the name at the CA: the first handshake's and the renewal's.
    const orders = (await ordersAtCa(rig.store, rig.pebble)).filter((order) =>
      order.identifiers.some((identifier) => identifier.value === name),
    );
    expect(orders.length).toBeGreaterThanOrEqual(2);
    // The store holds the renewed one.
    const [stored] = (await rig.store.listCertificates()).filter((c) => c.identifiers[0]?.value === name);
    expect(stored?.serialNumberHex.toLowerCase()).toBe(renewed.serialNumberHex.toLowerCase());
  }, 90_000);
});
