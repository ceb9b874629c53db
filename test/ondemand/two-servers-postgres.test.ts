import { PostgresStore } from '@certkeeper/store-postgres';
import { RegistryTlsAlpn01Solver } from '@certkeeper/tlsalpn01';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionString, requirePostgres, testSchema } from '../store/support/postgres.js';
import { ordersAtCa } from '../support/orders-at-ca.js';
import { freePort, handshake, type OnDemandRig, startOnDemandRig } from './support.js';

/**
 * Two on-demand servers on one PostgreSQL store, each with its own manager — its own coordinator and single flight,
 * as two processes have — so only the store's lease stands between them and a second order. They share one
 * tls-alpn-01 registry: that stands in for the routing a deployment must give the CA (its validation reaches the
 * server that ordered; docs/on-demand.md, "Several servers").
 */
describe('on-demand TLS, two servers on PostgreSQL', () => {
  const { schema, drop } = testSchema('ondemand');
  let store: PostgresStore;
  let rig: OnDemandRig;

  beforeAll(async () => {
    await requirePostgres();
    store = await PostgresStore.open({ connectionString, schema });
    rig = await startOnDemandRig({}, store);
  });
  afterAll(async () => {
    await rig?.stop();
    await store?.close();
    await drop();
  });

  it('100 handshakes split over both servers for a new name: one order, one certificate for all', async () => {
    const tlsAlpn01 = new RegistryTlsAlpn01Solver();
    const allow = '*.pg.ondemand.example.test';
    const first = await rig.serve({ allow }, { tlsAlpn01 });
    const second = await rig.serve({ allow }, { tlsAlpn01, port: await freePort() });
    const name = 'shared.pg.ondemand.example.test';
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        handshake(i % 2 === 0 ? first.port : second.port, name, { ca: rig.root }),
      ),
    );
    expect(results.every((result) => result.authorized && result.subjectaltname === `DNS:${name}`)).toBe(
      true,
    );
    expect(new Set(results.map((result) => result.serialNumber)).size).toBe(1);
    const orders = (await ordersAtCa(store, rig.pebble)).filter(
      (order) => order.identifiers[0]?.value === name,
    );
    expect(orders).toHaveLength(1);
    // Each server asked its manager once (its own single flight); the lease made the second one wait and re-check.
    expect(rig.ensureCalls()).toBe(2);
    expect(first.onDemand.names()).toEqual([name]);
    expect(second.onDemand.names()).toEqual([name]);
  });
});
