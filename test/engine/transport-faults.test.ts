import { AcmeClient, AcmeProblemError, prepareOrder, RateLimitedError, runOrder } from '@certkeeper/core';
import { type FaultProxy, faults } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';
import { type PebbleFixture, proxyFixture, startPebbleFixture } from './pebble-fixture.js';

describe('transport behaviour under injected faults', () => {
  let fixture: PebbleFixture;
  let proxy: FaultProxy;
  let accountUrl: string;
  const clients: AcmeClient[] = [];
  const client = () => {
    const made = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey: fixture.accountKey,
      accountUrl,
    });
    clients.push(made);
    return made;
  };
  const order = (name: string) =>
    prepareOrder({ directoryUrl: proxy.directoryUrl, accountUrl, identifiers: [name] });

  beforeAll(async () => {
    fixture = await startPebbleFixture();
    ({ proxy, accountUrl } = await proxyFixture(fixture));
  });
  afterEach(() => {
    proxy.clearRules();
    proxy.clearLog();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await proxy?.close();
    await fixture?.stop();
  });

  it('retries badNonce with a fresh nonce each time and never replays one', async () => {
    proxy.addRule({ kind: 'finalize', times: 3, action: faults.badNonce() });
    proxy.addRule({ kind: 'authz', method: 'POST', times: 2, action: faults.badNonce() });
    const acme = client();
    const { state } = await runOrder(await order('badnonce.example.test'), fixture.deps(acme));
    expect(state.phase).toBe('done');
    expect(acme.transport.stats.badNonceRetries).toBe(5);
    expect(proxy.count('finalize', 'POST')).toBe(4);
    expect(proxy.reusedNonces()).toEqual([]);
  });

  it('gives up after the bounded number of badNonce retries with a typed error', async () => {
    proxy.addRule({ kind: 'newOrder', action: faults.badNonce() });
    const acme = client();
    const error = await rejectionOf(
      runOrder(await order('always-badnonce.example.test'), fixture.deps(acme), {
        maxStepRetries: 0,
      }),
    );
    expect(AcmeProblemError.isInstance(error) && error.code).toBe('CERTKEEPER_ERR_BAD_NONCE');
    expect(proxy.count('newOrder', 'POST')).toBe(6);
    expect(proxy.reusedNonces()).toEqual([]);
  });

  it('surfaces a 429 at once with its Retry-After, without retrying or replaying', async () => {
    proxy.addRule({ kind: 'newOrder', action: faults.rateLimited({ retryAfter: 3600 }) });
    const acme = client();
    const before = Date.now();
    const error = await rejectionOf(runOrder(await order('limited.example.test'), fixture.deps(acme)));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.code).toBe('CERTKEEPER_ERR_RATE_LIMITED');
    expect(error.status).toBe(429);
    expect(error.retryAfter!.getTime()).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(error.message).toContain('Retry allowed after');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
  });

  it('waits out a short 503 Retry-After once, re-signed with a fresh nonce', async () => {
    proxy.addRule({ kind: 'finalize', times: 1, action: faults.serviceUnavailable({ retryAfter: 1 }) });
    const acme = client();
    const { state } = await runOrder(await order('busy.example.test'), fixture.deps(acme));
    expect(state.phase).toBe('done');
    const finalizes = proxy.log.filter((e) => e.kind === 'finalize');
    expect(finalizes.map((e) => e.status)).toEqual([503, 200]);
    expect(finalizes[1]!.time.getTime() - finalizes[0]!.time.getTime()).toBeGreaterThanOrEqual(900);
    expect(finalizes[0]!.jws?.nonce).not.toBe(finalizes[1]!.jws?.nonce);
  });

  it('tells onRetry about a step retried after a 503 without Retry-After: which attempt, and when', async () => {
    proxy.addRule({ kind: 'finalize', times: 2, action: faults.serviceUnavailable() });
    const retries: { inMs: number; [field: string]: unknown }[] = [];
    const { state } = await runOrder(await order('retried.example.test'), fixture.deps(client()), {
      onRetry: ({ state, request, reason, attempt, attempts, at }) =>
        retries.push({
          phase: state.phase,
          request,
          reason,
          attempt,
          attempts,
          inMs: at.getTime() - Date.now(),
        }),
    });
    expect(state.phase).toBe('done');
    const reason = 'the CA answered 503: service busy, retry later (injected by the fault proxy)';
    expect(retries.map(({ inMs: _, ...retry }) => retry)).toEqual([
      { phase: 'finalize', request: false, reason, attempt: 2, attempts: 4 },
      { phase: 'finalize', request: false, reason, attempt: 3, attempts: 4 },
    ]);
    // The engine's backoff: 1 s, then 2 s.
    expect(retries[0]!.inMs).toBeGreaterThan(500);
    expect(retries[1]!.inMs).toBeGreaterThan(retries[0]!.inMs);
  });

  it("tells onRetry about the transport's own retries too: a short 503 waited out, a reset connection", async () => {
    proxy.addRule({ kind: 'finalize', times: 1, action: faults.serviceUnavailable({ retryAfter: 1 }) });
    proxy.addRule({ kind: 'authz', method: 'POST', times: 1, action: { type: 'reset' } });
    const retries: { phase: string; request: boolean; reason: string; attempt: number; attempts: number }[] =
      [];
    const { state } = await runOrder(await order('request-retried.example.test'), fixture.deps(client()), {
      onRetry: ({ state, request, reason, attempt, attempts }) =>
        retries.push({ phase: state.phase, request, reason, attempt, attempts }),
    });
    expect(state.phase).toBe('done');
    expect(retries).toEqual([
      {
        phase: 'fetch-authorizations',
        request: true,
        reason: expect.stringMatching(/\S/),
        attempt: 2,
        attempts: 3,
      },
      {
        phase: 'finalize',
        request: true,
        reason: 'the CA answered 503: service busy, retry later (injected by the fault proxy)',
        attempt: 2,
        attempts: 2,
      },
    ]);
  });

  it('retries a reset connection on a repeatable request, but never repeats newOrder blindly', async () => {
    proxy.addRule({ kind: 'authz', method: 'POST', times: 1, action: { type: 'reset' } });
    const ok = await runOrder(await order('reset.example.test'), fixture.deps(client()));
    expect(ok.state.phase).toBe('done');
    proxy.clearLog();
    proxy.addRule({ kind: 'newOrder', times: 1, action: { type: 'reset' } });
    // The transport does not resend it; the engine records the result as unknown, waits out the margin, finds no
    // such order in the account's orders list (the reset came before Pebble saw the request), then places one.
    const resumed = await runOrder(await order('reset-order.example.test'), fixture.deps(client()), {
      maxStepRetries: 0,
    });
    expect(resumed.state.phase).toBe('done');
    const newOrders = proxy.log.filter((e) => e.kind === 'newOrder');
    expect(newOrders.map((e) => e.status)).toEqual([undefined, 201]);
    expect(proxy.count('orders', 'POST')).toBe(1);
    expect(newOrders[1]!.time.getTime() - newOrders[0]!.time.getTime()).toBeGreaterThanOrEqual(4_900);
  });
});
