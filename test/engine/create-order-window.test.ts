import {
  AcmeClient,
  type OrderState,
  parseCertificate,
  prepareOrder,
  runOrder,
  runStep,
  type StepOptions,
} from '@certkeeper/core';
import { type FaultProxy, faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fake-clock.js';
import { type PebbleFixture, proxyFixture, startPebbleFixture } from './pebble-fixture.js';

/**
 * The one window a stored state cannot cover: newOrder sent, its answer never saved. The state records an intent
 * first; a worker that finds one without an order URL looks for the order in the account's orders list (RFC 8555
 * §7.1.2.1) instead of placing another. Pebble lists one order per page here, so the search follows
 * `Link: rel="next"`.
 */
describe('the create-order window', () => {
  let fixture: PebbleFixture;
  let proxy: FaultProxy;
  let accountUrl: string;
  const clients: AcmeClient[] = [];
  beforeAll(async () => {
    fixture = await startPebbleFixture({ env: { PEBBLE_WFE_ORDERS_PER_PAGE: '1' } });
    ({ proxy, accountUrl } = await proxyFixture(fixture));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await proxy?.close();
    await fixture?.stop();
  });

  /** A fresh process: its own client (nonce pool, directory cache) and clock. */
  const worker = (clock = new FakeClock()) => {
    const client = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey: fixture.accountKey,
      accountUrl,
    });
    clients.push(client);
    return { client, clock, deps: { client, solvers: [fixture.http01], clock } };
  };
  const fresh = async (name: string) =>
    prepareOrder({ directoryUrl: proxy.directoryUrl, accountUrl, identifiers: [name, `www.${name}`] });
  /** Persisting is JSON: what another process reads back. */
  const stored = (state: OrderState) => JSON.parse(JSON.stringify(state)) as OrderState;
  const step = async (state: OrderState, deps: ReturnType<typeof worker>['deps'], options: StepOptions) =>
    runStep(stored(state), deps, options);

  it('records the intent before anything is sent, then places the order as its own', async () => {
    proxy.clearLog();
    const a = worker();
    const intended = await step(await fresh('intent.example.test'), a.deps, { worker: 'a' });
    expect(intended.next).toEqual({ type: 'continue' });
    expect(intended.state.orderIntent).toMatchObject({ worker: 'a', at: a.clock.now().toISOString() });
    expect(proxy.log).toHaveLength(0);
    const placed = await step(intended.state, a.deps, { worker: 'a' });
    expect(placed.state.phase).toBe('fetch-authorizations');
    expect(placed.state.orderIntent).toBeUndefined();
    expect(proxy.count('newOrder', 'POST')).toBe(1);
  });

  it("waits while another worker's intent may still be on its way, sending nothing", async () => {
    const a = worker();
    const intended = await step(await fresh('fresh-intent.example.test'), a.deps, { worker: 'a' });
    proxy.clearLog();
    const b = worker(new FakeClock(a.clock.now()));
    b.clock.advance(3_000);
    const waited = await step(intended.state, b.deps, { worker: 'b' });
    expect(waited.next).toMatchObject({
      type: 'wait',
      until: new Date(intended.state.orderIntent!.settlesAt),
    });
    expect(waited.next.type === 'wait' && waited.next.reason).toMatch(/another worker \(a\) may be placing/);
    expect(waited.state.orderIntent).toEqual(intended.state.orderIntent);
    expect(proxy.log).toHaveLength(0);
  });

  it('killed between newOrder and saving its URL: the next worker adopts that order, one newOrder in all', async () => {
    // Other orders of the account first, so the one looked for is on a later page of the list.
    for (const other of ['other-1.example.test', 'other-2.example.test']) {
      const w = worker();
      const intended = await step(await fresh(other), w.deps, { worker: 'w' });
      await step(intended.state, w.deps, { worker: 'w' });
    }
    proxy.clearLog();
    const a = worker();
    const intended = await step(await fresh('lost-answer.example.test'), a.deps, { worker: 'a' });
    const lost = await step(intended.state, a.deps, { worker: 'a' }); // its result is never stored: a crash
    expect(proxy.count('newOrder', 'POST')).toBe(1);

    const b = worker(new FakeClock(a.clock.now()));
    b.clock.advance(30_000); // the intent has settled
    const adopted = await step(intended.state, b.deps, { worker: 'b' });
    expect(adopted.state.phase).toBe('fetch-authorizations');
    expect(adopted.state.orderUrl).toBe(lost.state.orderUrl);
    expect(adopted.state.orderIntent).toBeUndefined();
    expect(proxy.count('orders', 'POST')).toBe(1);
    expect(proxy.log.filter((entry) => entry.path.includes('/page/')).length).toBeGreaterThan(0);

    const { certificate } = await runOrder(adopted.state, b.deps, { worker: 'b' });
    expect(parseCertificate(certificate.pem).names).toContain('lost-answer.example.test');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
    expect(proxy.count('finalize', 'POST')).toBe(1);
  });

  it('an exclusive worker (holding a lease every earlier worker lost) adopts at once', async () => {
    const a = worker();
    const intended = await step(await fresh('exclusive.example.test'), a.deps, { worker: 'a' });
    const lost = await step(intended.state, a.deps, { worker: 'a' });
    proxy.clearLog();
    const b = worker(new FakeClock(a.clock.now()));
    const adopted = await step(intended.state, b.deps, { worker: 'b', exclusive: true });
    expect(adopted.state.orderUrl).toBe(lost.state.orderUrl);
    expect(proxy.count('newOrder', 'POST')).toBe(0);
  });

  it('an answer lost after the CA created the order (5xx): recorded as unknown, then adopted', async () => {
    const rule = proxy.addRule({
      kind: 'newOrder',
      times: 1,
      action: faults.respond(async (_request, context) => {
        await context.forward(); // the CA creates the order…
        return {
          status: 500,
          headers: { 'content-type': 'application/problem+json', 'replay-nonce': await context.freshNonce() },
          body: {
            type: 'urn:ietf:params:acme:error:serverInternal',
            detail: 'lost on the way back',
            status: 500,
          },
        };
      }),
    });
    proxy.clearLog();
    const a = worker();
    const intended = await step(await fresh('unknown.example.test'), a.deps, { worker: 'a' });
    const unknown = await step(intended.state, a.deps, { worker: 'a' });
    expect(rule.fired).toBe(1);
    expect(unknown.state.orderIntent).toMatchObject({ worker: 'a', outcomeUnknown: true });
    expect(unknown.next).toMatchObject({
      type: 'wait',
      until: new Date(unknown.state.orderIntent!.settlesAt),
    });
    // Not placed again by the same worker, even at once: it waits out the margin, then looks.
    expect((await step(unknown.state, a.deps, { worker: 'a', exclusive: true })).next.type).toBe('wait');
    a.clock.advance(6_000);
    const adopted = await step(unknown.state, a.deps, { worker: 'a' });
    expect(adopted.state.phase).toBe('fetch-authorizations');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
  });

  it('a CA without an orders list: the settled intent is re-recorded and a new order placed (the documented limit)', async () => {
    const hide = proxy.addRule({
      kind: 'account',
      action: faults.respond(async (_request, context) => {
        const upstream = await context.forward();
        const { orders: _hidden, ...account } = upstream.json<Record<string, unknown>>();
        return {
          status: upstream.status,
          headers: upstream.headers as Record<string, string>,
          body: account,
        };
      }),
    });
    try {
      const a = worker();
      const intended = await step(await fresh('no-list.example.test'), a.deps, { worker: 'a' });
      await step(intended.state, a.deps, { worker: 'a' });
      proxy.clearLog();
      const b = worker(new FakeClock(a.clock.now()));
      b.clock.advance(30_000);
      const again = await step(intended.state, b.deps, { worker: 'b' });
      expect(again.next).toEqual({ type: 'continue' });
      expect(again.state.orderIntent).toMatchObject({ worker: 'b' });
      expect(proxy.count('newOrder', 'POST')).toBe(0);
      const placed = await step(again.state, b.deps, { worker: 'b' });
      expect(placed.state.phase).toBe('fetch-authorizations');
      expect(proxy.count('newOrder', 'POST')).toBe(1);
    } finally {
      hide.remove();
    }
  });
});
