import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveFeed } from './live-feed.js';

let feed: LiveFeed;
afterEach(() => feed.close());

describe('LiveFeed', () => {
  it('follows an order step by step, with one line per lagging nameserver, to its end', () => {
    let now = Date.parse('2026-12-06T10:00:00Z');
    feed = new LiveFeed({ now: () => new Date(now), keepFinishedMs: 60_000 });
    const events: string[] = [];
    feed.on('orders', () => events.push('orders'));
    const key = 'k';
    const identifiers = ['a.test', '*.a.test'];
    feed.progress({ key, identifiers, phase: 'create-order', next: 'continue' });
    feed.progress({
      key,
      identifiers,
      phase: 'await-readiness',
      next: 'wait',
      challenges: ['dns-01'],
      detail:
        'dns-01: Waiting for 1 of 2 authoritative servers answers: ns1 answered NOERROR, saw 0 of 1 expected values; ns2 timed out.',
      until: new Date(now + 5000),
    });
    const [waiting] = feed.ordersView();
    expect(waiting).toMatchObject({
      key,
      source: 'live',
      phase: 'await-readiness',
      wait: {
        headline: 'Waiting for 1 of 2 authoritative servers answers',
        items: ['ns1 answered NOERROR, saw 0 of 1 expected values', 'ns2 timed out'],
        until: '2026-12-06T10:00:05.000Z',
      },
    });
    expect(waiting!.steps.map((step) => step.state)).toEqual([
      'done',
      'done',
      'running',
      'pending',
      'pending',
      'pending',
    ]);

    feed.finished(['*.a.test', 'A.test'], { type: 'issued' });
    const [done] = feed.ordersView();
    expect(done!.result).toBe('issued');
    expect(done!.wait).toBeUndefined();
    expect(done!.steps.every((step) => step.state === 'done')).toBe(true);
    expect(events).toHaveLength(3);

    now += 61_000;
    expect(feed.ordersView()).toEqual([]);
  });

  it('keeps a failure as an error with its code and its Next hint apart from the message', () => {
    feed = new LiveFeed();
    const error = new CertkeeperError(ErrorCodes.CONFIG_INVALID, 'the hook is missing', {
      hint: 'set defaults.deployHook.',
    });
    feed.finished(['b.test'], { type: 'failed', error, retryAt: new Date('2026-12-06T11:00:00Z') });
    expect(feed.errorsView()).toEqual([
      expect.objectContaining({
        identifiers: ['b.test'],
        kind: 'order',
        message: 'the hook is missing',
        code: ErrorCodes.CONFIG_INVALID,
        next: 'set defaults.deployHook.',
        retryAt: '2026-12-06T11:00:00.000Z',
      }),
    ]);
  });

  it('marks running orders stopped when the daemon stops, and bounds what it keeps', () => {
    feed = new LiveFeed({ maxErrors: 2, maxOrders: 2 });
    for (const key of ['1', '2', '3']) {
      feed.progress({ key, identifiers: [`${key}.test`], phase: 'create-order', next: 'continue' });
      feed.finished([`${key}.test`], { type: 'failed', error: new Error(`no ${key}`) });
    }
    expect(feed.ordersView().map((order) => order.key)).toEqual(['3', '2']);
    expect(feed.errorsView().map((error) => error.message)).toEqual(['no 3', 'no 2']);
    feed.progress({ key: '4', identifiers: ['4.test'], phase: 'finalize', next: 'continue' });
    feed.stopped();
    expect(feed.ordersView()[0]).toMatchObject({ key: '4', result: 'stopped' });
    expect(feed.daemonView().running).toBe(false);
  });

  it("shows a wait for another process's lease, with who holds it, before any order step", () => {
    feed = new LiveFeed();
    feed.progress({
      key: 'k',
      identifiers: ['c.test'],
      phase: 'lease',
      next: 'wait',
      detail: 'held by pid 4242 on web-1 until 2026-12-06T10:05:00.000Z',
      until: new Date('2026-12-06T10:05:00.000Z'),
      holder: 'pid 4242 on web-1',
    });
    expect(feed.ordersView()[0]).toMatchObject({
      phase: 'lease',
      holder: 'pid 4242 on web-1',
      wait: { headline: 'held by pid 4242 on web-1 until 2026-12-06T10:05:00.000Z', items: [] },
    });
    expect(feed.ordersView()[0]!.steps[0]).toEqual({ step: 'order', state: 'running' });
    feed.progress({ key: 'k', identifiers: ['c.test'], phase: 'create-order', next: 'continue' });
    expect(feed.ordersView()[0]!.holder).toBeUndefined();
  });
});
