// The first poll after answering the challenges: when the CA's answer to the challenge POST carries Retry-After,
// the order is first polled then — not after the short default delay — and still only once if it is valid by then.
import { AcmeClient, prepareOrder, runOrder } from '@certkeeper/core';
import { type FaultProxy, faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PebbleFixture, proxyFixture, startPebbleFixture } from './pebble-fixture.js';

describe('first poll after answering the challenges', () => {
  let fixture: PebbleFixture;
  let proxy: FaultProxy;
  let accountUrl: string;
  let retryAfterSeconds: number | undefined;
  const clients: AcmeClient[] = [];

  beforeAll(async () => {
    fixture = await startPebbleFixture();
    ({ proxy, accountUrl } = await proxyFixture(fixture, (p) => {
      p.addRule({
        kind: 'challenge',
        action: faults.respond(async (_request, context) => {
          const upstream = await context.forward();
          const headers = { ...(upstream.headers as Record<string, string>) };
          if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
          return { status: upstream.status, headers, body: upstream.body };
        }),
      });
    }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await proxy?.close();
    await fixture?.stop();
  });

  /** Issue one name; the time from the challenge POST's answer to the first order poll, and the order polls. */
  async function issue(name: string) {
    proxy.clearLog();
    const client = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey: fixture.accountKey,
      accountUrl,
    });
    clients.push(client);
    await runOrder(
      await prepareOrder({ directoryUrl: proxy.directoryUrl, accountUrl, identifiers: [name] }),
      fixture.deps(client),
    );
    const log = proxy.log;
    const answered = log.findIndex((e) => e.kind === 'challenge' && e.method === 'POST');
    const answeredAt = log[answered]!.time.getTime() + log[answered]!.durationMs;
    const firstPoll = log.slice(answered).find((e) => e.kind === 'order')!;
    return {
      gapMs: firstPoll.time.getTime() - answeredAt,
      polls: log.filter((e) => e.kind === 'order').length,
    };
  }

  it("waits for the CA's Retry-After on the challenge answer, then needs one poll", async () => {
    retryAfterSeconds = 1;
    const { gapMs, polls } = await issue('retry-after.first-poll.test');
    expect(gapMs).toBeGreaterThanOrEqual(900);
    // One poll while validating, one after finalize: the protocol minimum.
    expect(polls).toBe(2);
  });

  it('without Retry-After polls after the short initial delay', async () => {
    retryAfterSeconds = undefined;
    const { gapMs } = await issue('no-retry-after.first-poll.test');
    expect(gapMs).toBeLessThan(600);
  });
});
