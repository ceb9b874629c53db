import { describe, expect, it } from 'vitest';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { backoffDelayMs } from './backoff-delay.js';
import { retryWithBackoff } from './retry-with-backoff.js';

const transient = (retryAfter?: Date) =>
  new CertkeeperError(ErrorCodes.NETWORK, 'flaky', {
    retryable: true,
    ...(retryAfter ? { retryAfter } : {}),
  });

/** A call failing `failures` times with `error()`, then answering; records when each attempt started. */
function flaky(failures: number, error: () => unknown = () => transient()) {
  const starts: number[] = [];
  const call = async (attempt: number) => {
    starts.push(Date.now());
    if (attempt <= failures) throw error();
    return `ok after ${attempt}`;
  };
  return { call, starts };
}

describe('backoffDelayMs', () => {
  it('doubles from the base up to the cap', () => {
    const exact = { baseDelayMs: 100, jitter: 0 };
    expect([1, 2, 3, 4, 10].map((n) => backoffDelayMs(n, exact))).toEqual([100, 200, 400, 800, 5000]);
    expect(backoffDelayMs(3, { baseDelayMs: 60_000, factor: 10, maxDelayMs: 86_400_000, jitter: 0 })).toBe(
      6_000_000,
    );
  });

  it('takes a random share of the bound: none, half (the default) or all of it', () => {
    const at = (jitter: number | undefined, random: number) =>
      backoffDelayMs(2, {
        baseDelayMs: 100,
        random: () => random,
        ...(jitter === undefined ? {} : { jitter }),
      });
    expect([at(undefined, 0), at(undefined, 0.999_999)]).toEqual([100, expect.closeTo(200, 3)]);
    expect([at(1, 0), at(1, 0.5), at(0, 0.123)]).toEqual([0, 100, 200]);
  });
});

describe('retryWithBackoff', () => {
  it('retries retryable failures until one succeeds', async () => {
    const { call, starts } = flaky(2);
    expect(await retryWithBackoff(call, { baseDelayMs: 5 })).toBe('ok after 3');
    expect(starts).toHaveLength(3);
  });

  it('rethrows a failure that is not retryable at once, unchanged', async () => {
    const refused = new CertkeeperError(ErrorCodes.INVALID_OPTION, 'no');
    const { call, starts } = flaky(5, () => refused);
    await expect(retryWithBackoff(call, { baseDelayMs: 5 })).rejects.toBe(refused);
    expect(starts).toHaveLength(1);
  });

  it('stops after the attempts allowed, rethrowing the last failure', async () => {
    const { call, starts } = flaky(10);
    await expect(retryWithBackoff(call, { attempts: 4, baseDelayMs: 1 })).rejects.toMatchObject({
      code: ErrorCodes.NETWORK,
    });
    expect(starts).toHaveLength(4);
  });

  it('never waits past the total time: gives up before a wait that would end after it', async () => {
    // A virtual clock, so the decision does not depend on how busy the machine is: each attempt takes 100 ms.
    let now = 0;
    let attempts = 0;
    const call = async () => {
      attempts += 1;
      now += 100;
      throw transient();
    };
    await expect(
      retryWithBackoff(call, {
        attempts: Number.POSITIVE_INFINITY,
        totalMs: 350,
        baseDelayMs: 10,
        jitter: 0,
        now: () => now,
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.NETWORK });
    // After attempt 3 (t = 300) a 40 ms wait ends at 340, inside 350; after attempt 4 (t = 400) none fits.
    expect(attempts).toBe(4);
  });

  it("waits at least the server's Retry-After", async () => {
    const { call, starts } = flaky(1, () => transient(new Date(Date.now() + 150)));
    await retryWithBackoff(call, { baseDelayMs: 1 });
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(140);
  });

  it('hands a Retry-After longer than maxDelayMs back at once, with its time, instead of retrying early', async () => {
    const later = new Date(Date.now() + 60_000);
    const { call, starts } = flaky(5, () => transient(later));
    const error = await retryWithBackoff(call, { maxDelayMs: 1_000 }).catch((caught: unknown) => caught);
    expect(starts).toHaveLength(1);
    expect((error as CertkeeperError).retryAfter).toBe(later);
  });

  it('is aborted in the middle of a wait', async () => {
    const controller = new AbortController();
    const { call, starts } = flaky(5);
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(
      retryWithBackoff(call, { baseDelayMs: 10_000, maxDelayMs: 10_000, signal: controller.signal }),
    ).rejects.toMatchObject({ code: ErrorCodes.ABORTED });
    // Well before the 10 s wait would have ended.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(starts).toHaveLength(1);
  });

  it('takes its retry rule and the server time from the caller (errors that are not CertkeeperErrors)', async () => {
    const busy = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const { call, starts } = flaky(2, () => busy);
    const result = await retryWithBackoff(call, {
      baseDelayMs: 1,
      shouldRetry: (error) => (error as { code?: string }).code === '40P01',
    });
    expect([result, starts.length]).toEqual(['ok after 3', 3]);
  });
});
