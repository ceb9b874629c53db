import { describe, expect, it } from 'vitest';
import type { AcmeClient } from '../client.js';
import { type EngineDeps, firstPollTime, resolveDeps } from './engine-deps.js';
import { ORDER_STATE_VERSION, type OrderState } from './order-state.js';
import {
  FIRST_POLL_FLOOR_MS,
  learnFirstPolls,
  observePoll,
  POLL_HISTORY,
  type PollObservations,
  type PollPhase,
} from './poll-timing.js';
import { awaitValidation } from './steps/await-validation.js';
import { pollOrder } from './steps/poll-order.js';

const start = new Date('2026-12-06T12:00:00Z');
const base: OrderState = {
  version: ORDER_STATE_VERSION,
  id: 'o1',
  directoryUrl: 'https://ca.test/dir',
  accountUrl: 'https://ca.test/acct/1',
  identifiers: [{ type: 'dns', value: 'a.test' }],
  certificateKeyPem: 'KEY',
  phase: 'await-validation',
  orderUrl: 'https://ca.test/order/1',
  authorizationUrls: [],
  authorizations: [],
  receipts: [],
  attempts: 0,
  phaseStartedAt: start.toISOString(),
  createdAt: start.toISOString(),
  updatedAt: start.toISOString(),
};

/**
 * One phase of one order against a CA that is done `takesMs` after the POST, through the engine's own steps
 * (await-validation, poll-order) on a simulated clock: the polls it took, when the last one went, and its notes.
 */
async function simulatePhase(
  phase: PollPhase,
  takesMs: number,
  deps: Omit<EngineDeps, 'client' | 'solvers' | 'clock'> = {},
): Promise<{ polls: number; doneMs: number; pollTiming: PollObservations | undefined }> {
  let now = start.getTime();
  let polls = 0;
  const client = {
    orders: {
      get: async () => {
        polls++;
        const done = now - start.getTime() >= takesMs;
        const status = phase === 'validation' ? (done ? 'ready' : 'pending') : done ? 'valid' : 'processing';
        return { order: { status, certificate: 'https://ca.test/cert/1' } };
      },
    },
  } as unknown as AcmeClient;
  const resolved = resolveDeps({ ...deps, client, solvers: [], clock: { now: () => new Date(now) } });
  let until = firstPollTime(resolved, phase, start, undefined);
  let state: OrderState = {
    ...base,
    phase: phase === 'validation' ? 'await-validation' : 'poll-order',
    nextActionAt: until.toISOString(),
  };
  for (;;) {
    now = until.getTime();
    const step = phase === 'validation' ? awaitValidation : pollOrder;
    const result = await step(state, resolved);
    state = result.state;
    if (result.next.type !== 'wait') {
      return { polls, doneMs: now - start.getTime(), pollTiming: state.pollTiming };
    }
    until = result.next.until;
  }
}

/**
 * `orders` orders in a row at one CA, each learning from the notes of those before (as the ledger hands them over:
 * newest first), against today's fixed first poll on the same latencies.
 */
async function simulateCa(phase: PollPhase, latencies: readonly number[]) {
  const history: PollObservations[] = [];
  let learnt = 0;
  let fixed = 0;
  let learntWallMs = 0;
  let fixedWallMs = 0;
  for (const takesMs of latencies) {
    const firstPolls = learnFirstPolls(history, 10_000);
    const run = await simulatePhase(phase, takesMs, { firstPolls });
    const today = await simulatePhase(phase, takesMs);
    learnt += run.polls;
    fixed += today.polls;
    learntWallMs += run.doneMs;
    fixedWallMs += today.doneMs;
    if (run.pollTiming) history.unshift(run.pollTiming);
  }
  const n = latencies.length;
  return {
    learnt: learnt / n,
    fixed: fixed / n,
    learntWallMs: learntWallMs / n,
    fixedWallMs: fixedWallMs / n,
  };
}

/** A reproducible spread of latencies (a linear congruential generator: the same numbers on every run). */
function latencies(count: number, fromMs: number, toMs: number, seed = 7): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return fromMs + (x / 2 ** 31) * (toMs - fromMs);
  });
}

describe('learnt first polls over simulated CAs', () => {
  it('a CA done in milliseconds (Pebble issuing): first polls come down to the floor, one poll each', async () => {
    const result = await simulateCa('issuance', latencies(120, 1, 4));
    expect(result.learnt).toBe(1);
    expect(result.fixed).toBe(1);
    // Wall: 50 ms waited per order today; a step down every eight orders to the floor.
    expect(result.learntWallMs).toBeLessThan(result.fixedWallMs / 2);
  });

  it('a CA done in 20–45 ms (Pebble validating from three perspectives): about one miss per 30 orders, as long a wait', async () => {
    const result = await simulateCa('validation', latencies(400, 20, 45));
    expect(result.fixed).toBe(1);
    expect(result.learnt).toBeLessThanOrEqual(1.04);
    expect(result.learntWallMs).toBeLessThanOrEqual(result.fixedWallMs * 1.05);
  });

  it("a CA validating in 1–5 s (Let's Encrypt): far fewer polls than 50 ms doubling", async () => {
    const result = await simulateCa('validation', latencies(200, 1_000, 5_000));
    expect(result.fixed).toBeGreaterThan(5);
    expect(result.learnt).toBeLessThan(1.1);
    // The price of fewer requests: the first poll waits for the slow end of the CA's recent times.
    expect(result.learntWallMs).toBeLessThan(result.fixedWallMs * 1.15);
  });

  it('a CA issuing in 200–800 ms: fewer polls than today', async () => {
    const result = await simulateCa('issuance', latencies(200, 200, 800));
    expect(result.learnt).toBeLessThan(1.1);
    expect(result.fixed).toBeGreaterThan(4);
  });

  it('a CA that slows down from milliseconds to seconds: after one slow order, no more polls than today', async () => {
    const result = await simulateCa('validation', [...latencies(30, 1, 4), ...latencies(100, 2_000, 3_000)]);
    expect(result.learnt).toBeLessThan(result.fixed);
  });

  it('at worst (a CA just under today’s 50 ms), about one extra poll per 30 orders', async () => {
    const result = await simulateCa('validation', latencies(400, 44, 49));
    expect(result.fixed).toBe(1);
    expect(result.learnt).toBeLessThanOrEqual(1.04);
  });
});

describe('learnFirstPolls', () => {
  it('learns nothing without notes: the policy’s first wait stays', () => {
    expect(learnFirstPolls([], 10_000)).toEqual({});
    expect(learnFirstPolls([undefined, null, 'x', {}], 10_000)).toEqual({});
  });

  it('stays where recent first polls found the result; a fifth lower once the eight newest all did', () => {
    expect(learnFirstPolls([{ issuance: { readyMs: 50 } }], 10_000)).toEqual({ issuance: 50 });
    expect(learnFirstPolls([{ issuance: { readyMs: 700 } }], 10_000)).toEqual({ issuance: 700 });
    const eight = [40, 40, 40, 40, 40, 40, 40, 50].map((readyMs) => ({ issuance: { readyMs } }));
    expect(learnFirstPolls(eight, 10_000)).toEqual({ issuance: 40 });
    expect(learnFirstPolls([{ issuance: { readyMs: 40 } }, ...eight], 10_000)).toEqual({ issuance: 32 });
    expect(learnFirstPolls([{ issuance: { readyMs: 2 } }], 10_000)).toEqual({
      issuance: FIRST_POLL_FLOOR_MS,
    });
  });

  it('never goes back under 1.25 × where a recent order was still pending', () => {
    const notes = [{ validation: { readyMs: 40 } }, { validation: { readyMs: 140, pendingMs: 40 } }];
    expect(learnFirstPolls(notes, 10_000)).toEqual({ validation: 50 });
    // Forgotten after POLL_HISTORY newer orders.
    const hits = Array.from({ length: POLL_HISTORY - 2 }, () => notes[0]!);
    expect(learnFirstPolls([...hits, ...notes], 10_000)).toEqual({ validation: 50 });
    expect(learnFirstPolls([...hits, notes[0]!, ...notes], 10_000)).toEqual({ validation: 32 });
  });

  it('bounds hostile or corrupt notes: huge values to the cap, wrong shapes and unfinished notes ignored', () => {
    expect(learnFirstPolls([{ validation: { readyMs: 1e300, pendingMs: 1e299 } }], 10_000)).toEqual({
      validation: 10_000,
    });
    expect(
      learnFirstPolls(
        [
          { validation: { readyMs: -5 } },
          { validation: { readyMs: Number.NaN } },
          { validation: { readyMs: '50' } },
          { validation: { pendingMs: 30 } },
          { validation: { readyMs: 10, pendingMs: 20 } },
          { issuance: [] },
        ],
        10_000,
      ),
    ).toEqual({});
  });
});

describe('observePoll', () => {
  it('a poll that went out late counts as found at its due time: our own delay does not push first polls later', () => {
    const late = observePoll(
      { ...base, nextActionAt: new Date(start.getTime() + 50).toISOString() },
      'validation',
      new Date(start.getTime() + 176),
      true,
    );
    expect(late).toEqual({ validation: { readyMs: 50 } });
  });

  it('notes the last pending poll and the first that saw the result, from the phase start', () => {
    const pending = observePoll(base, 'validation', new Date(start.getTime() + 50), false);
    expect(pending).toEqual({ validation: { pendingMs: 50 } });
    const ready = observePoll(
      { ...base, pollTiming: pending },
      'validation',
      new Date(start.getTime() + 150),
      true,
    );
    expect(ready).toEqual({ validation: { readyMs: 150, pendingMs: 50 } });
  });
});

describe('first poll timing', () => {
  const client = {} as AcmeClient;
  const clock = { now: () => start };

  it("a CA's Retry-After wins over anything learnt", () => {
    const deps = resolveDeps({ client, solvers: [], clock, firstPolls: { validation: 5 } });
    const retryAfter = new Date(start.getTime() + 3_000);
    expect(firstPollTime(deps, 'validation', start, retryAfter)).toEqual(retryAfter);
    expect(firstPollTime(deps, 'validation', start, undefined).getTime() - start.getTime()).toBe(5);
  });

  it('a configured initialDelayMs is used for every order: nothing learnt overrides it', () => {
    const deps = resolveDeps({
      client,
      solvers: [],
      clock,
      polling: { initialDelayMs: 200 },
      firstPolls: { validation: 5, issuance: 5 },
    });
    expect(firstPollTime(deps, 'validation', start, undefined).getTime() - start.getTime()).toBe(200);
    expect(firstPollTime(deps, 'issuance', start, undefined).getTime() - start.getTime()).toBe(200);
  });

  it('a learnt first poll is bounded by the policy’s maxDelayMs', () => {
    const deps = resolveDeps({ client, solvers: [], clock, firstPolls: { issuance: 1e12 } });
    expect(firstPollTime(deps, 'issuance', start, undefined).getTime() - start.getTime()).toBe(10_000);
  });
});
