import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors/transport-errors.js';
import { LETS_ENCRYPT_REQUEST_RATES, RequestRateLimiter, requestEndpointOf } from './request-rate-limiter.js';

/** A clock that moves only when a request sleeps: every wait is recorded and then passed at once. */
function fakeTiming() {
  const timing = {
    ms: 0,
    sleeps: [] as number[],
    now: () => timing.ms,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new AbortedError('Waiting', signal.reason);
      timing.sleeps.push(ms);
      timing.ms += ms;
    },
  };
  return timing;
}

/** Request times of `count` requests to `endpoint` sent as fast as the limiter lets them. */
async function sendTimes(limiter: RequestRateLimiter, timing: ReturnType<typeof fakeTiming>, count: number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await limiter.acquire('new-nonce');
    times.push(timing.ms);
  }
  return times;
}

describe('RequestRateLimiter', () => {
  it("keeps new-nonce under Let's Encrypt's 20/s with its burst of 10, in any one-second window", async () => {
    const timing = fakeTiming();
    const limiter = new RequestRateLimiter(LETS_ENCRYPT_REQUEST_RATES, timing);
    const times = await sendTimes(limiter, timing, 100);
    // The burst goes at once, then one every 50 ms.
    expect(times.slice(0, 10)).toEqual(new Array(10).fill(0));
    expect(times[10]).toBe(50);
    expect(times[11]).toBe(100);
    // Any window of one second holds at most burst + rate requests, and after the burst exactly the rate.
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(10 + 20);
    }
    const afterBurst = times.filter((t) => t >= 1000 && t < 2000).length;
    expect(afterBurst).toBe(20);
  });

  it('refills while idle, up to the burst only', async () => {
    const timing = fakeTiming();
    const limiter = new RequestRateLimiter(LETS_ENCRYPT_REQUEST_RATES, timing);
    await sendTimes(limiter, timing, 10);
    timing.ms += 60_000;
    timing.sleeps.length = 0;
    await sendTimes(limiter, timing, 10);
    expect(timing.sleeps).toEqual([]);
    expect(await limiter.acquire('new-nonce')).toBe(50);
  });

  it('keeps endpoint classes apart: new-account being throttled does not hold back new-order', async () => {
    const timing = fakeTiming();
    const limiter = new RequestRateLimiter(LETS_ENCRYPT_REQUEST_RATES, timing);
    for (let i = 0; i < 15; i++) expect(await limiter.acquire('new-account')).toBe(0);
    expect(await limiter.acquire('new-account')).toBe(200);
    expect(await limiter.acquire('new-order')).toBe(0);
  });

  it('serves concurrent waiters first come, first served, each after its own token', async () => {
    const sleeps: number[] = [];
    const limiter = new RequestRateLimiter(
      { ...LETS_ENCRYPT_REQUEST_RATES, acme: { perSecond: 10, burst: 1 } },
      {
        now: () => 0,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    );
    const waited = await Promise.all([1, 2, 3, 4].map(() => limiter.acquire('acme')));
    expect(waited).toEqual([0, 100, 200, 300]);
  });

  it('gives an aborted waiter’s token back', async () => {
    const timing = fakeTiming();
    const limiter = new RequestRateLimiter(
      { ...LETS_ENCRYPT_REQUEST_RATES, acme: { perSecond: 10, burst: 1 } },
      timing,
    );
    await limiter.acquire('acme');
    const controller = new AbortController();
    controller.abort();
    await expect(limiter.acquire('acme', controller.signal)).rejects.toBeInstanceOf(AbortedError);
    // Had the aborted request kept its token, this one would wait 200 ms.
    expect(await limiter.acquire('acme')).toBe(100);
  });

  it('refuses a rate that could never let a request through', () => {
    expect(
      () => new RequestRateLimiter({ ...LETS_ENCRYPT_REQUEST_RATES, revoke: { perSecond: 0, burst: 1 } }),
    ).toThrow(/revoke/);
  });
});

describe('requestEndpointOf', () => {
  const directory = {
    newNonce: 'https://ca.test/acme/new-nonce',
    newAccount: 'https://ca.test/acme/new-acct',
    newOrder: 'https://ca.test/acme/new-order',
    revokeCert: 'https://ca.test/acme/revoke-cert',
    renewalInfo: 'https://ca.test/acme/renewal-info',
  };
  it.each([
    [{ method: 'GET', url: 'https://ca.test/directory', resource: 'directory' }, 'directory'],
    [{ method: 'HEAD', url: directory.newNonce, resource: 'nonce' }, 'new-nonce'],
    [{ method: 'POST', url: directory.newAccount, resource: 'account' }, 'new-account'],
    [{ method: 'POST', url: directory.newOrder, resource: 'order' }, 'new-order'],
    [{ method: 'POST', url: directory.revokeCert, resource: 'revocation' }, 'revoke'],
    [{ method: 'GET', url: `${directory.renewalInfo}/abc`, resource: 'renewalInfo' }, 'renewal-info'],
    [{ method: 'POST', url: 'https://ca.test/acme/order/1/finalize', resource: 'order' }, 'acme'],
    [{ method: 'POST', url: 'https://ca.test/acme/acct/1', resource: 'account' }, 'acme'],
  ] as const)('%j counts against %s', (request, endpoint) => {
    expect(requestEndpointOf(request, directory)).toBe(endpoint);
  });
});
