/**
 * Poll timing learnt per CA (issue 13: "fewer requests is still the first rule"). Each finished order notes, per
 * waiting phase, how long after its POST (the challenge answers, the finalize) the CA was done: the time of the
 * first poll that saw the result (`readyMs`, an upper bound) and of the last poll that still saw it pending
 * (`pendingMs`, a lower bound). The next orders at that CA time their first poll from recent notes instead of a
 * fixed 50 ms: soon after the POST at a CA that is done in milliseconds (Pebble), late enough at a slow one (Let's
 * Encrypt validates in seconds) that the first poll usually finds the result.
 *
 * How the estimate moves: it starts at the policy's `initialDelayMs` (no notes: today's behaviour); it never goes
 * below 1.25 × the latest time one of the last POLL_HISTORY orders was still pending, so a miss is not repeated
 * while it is remembered; otherwise it stays at the slowest `readyMs` among the last eight orders whose first
 * poll found the result, and only when all eight did is it 4/5 of that — a step down every eight orders while
 * first polls keep finding it, so a fast CA is approached carefully, one poll per order. A first poll only ever
 * tells "done by then", never how much earlier: going lower is a guess, and a wrong guess costs one poll. On a CA
 * whose times spread just under the estimate that is about one extra poll per 30 orders (simulated in
 * poll-timing.spec.ts); on a slow CA most polls are saved (validation in 1–5 s: 7.3 → 1.07 polls per order).
 * Bounded by a floor and the policy's cap, so a hostile or corrupt note can neither poll in a loop nor stall an
 * order.
 */
import type { OrderState } from './order-state.js';

/** The two waits an order polls through: the CA validating the answered challenges, and issuing after finalize. */
export type PollPhase = 'validation' | 'issuance';

/** One phase of one order, as its polls saw it, in ms from the POST. */
export interface PhaseObservation {
  /**
   * When the first poll that saw the result was due (sent, if earlier); absent while the phase is still being
   * polled.
   */
  readonly readyMs?: number;
  /** When the last poll that still saw the CA working was sent (absent: the first poll saw the result). */
  readonly pendingMs?: number;
}

export type PollObservations = Partial<Record<PollPhase, PhaseObservation>>;

/** The first poll's delay per phase, learnt from recent orders at one CA. */
export type FirstPollDelays = Partial<Record<PollPhase, number>>;

/** The earliest a learnt first poll goes: a CA is never asked again before its answer is likely on the wire. */
export const FIRST_POLL_FLOOR_MS = 5;
/** How many recent orders' notes count: a miss (a first poll too early) is remembered this many orders. */
export const POLL_HISTORY = 32;
/** The estimate shrinks from the slowest of this many newest orders: one step down per this many orders. */
const RECENT = 8;
const SHRINK = 0.8;
const MARGIN = 1.25;

/**
 * The notes of `state` with one more poll of `phase`, sent at `sentAt`: `ready` if it saw the result. A note
 * without `readyMs` is one still in progress; only finished notes are learnt from.
 */
export function observePoll(
  state: OrderState,
  phase: PollPhase,
  sentAt: Date,
  ready: boolean,
): PollObservations | undefined {
  const started = Date.parse(state.phaseStartedAt);
  const elapsed = Math.round(sentAt.getTime() - started);
  if (!Number.isFinite(elapsed) || elapsed < 0) return state.pollTiming;
  const pendingMs = state.pollTiming?.[phase]?.pendingMs;
  if (!ready) return { ...state.pollTiming, [phase]: { pendingMs: elapsed } };
  // A poll that went out late (our own process busy, a loaded machine) found the result by its due time as far as
  // the estimate is concerned: learning from the late moment would push the next orders' first polls later still.
  const due = state.nextActionAt ? Math.round(Date.parse(state.nextActionAt) - started) : elapsed;
  const readyMs = Number.isFinite(due) && due >= 0 ? Math.min(elapsed, due) : elapsed;
  return {
    ...state.pollTiming,
    [phase]: {
      readyMs: Math.max(readyMs, pendingMs ?? 0),
      ...(pendingMs !== undefined ? { pendingMs } : {}),
    },
  };
}

/**
 * The first poll of each phase from recent orders' notes (newest first, any shape: read back from storage, so
 * checked and bounded here), or no entry for a phase without usable notes.
 */
export function learnFirstPolls(history: readonly unknown[], capMs: number): FirstPollDelays {
  const learnt: { -readonly [P in PollPhase]?: number } = {};
  for (const phase of ['validation', 'issuance'] as const) {
    const notes = history
      .map((entry) => usable(entry, phase, capMs))
      .filter((note) => note !== undefined)
      .slice(0, POLL_HISTORY);
    if (notes.length === 0) continue;
    const guard = MARGIN * Math.max(0, ...notes.map((note) => note.pendingMs ?? 0));
    // A miss's readyMs is only where the polls' backoff happened to land: the guard speaks for it instead.
    const recent = notes.slice(0, RECENT);
    const hits = recent.filter((note) => note.pendingMs === undefined).map((note) => note.readyMs);
    // Lower only after RECENT orders in a row found the result at their first poll; else stay where they did.
    const settled = recent.length === RECENT && hits.length === RECENT;
    const delay = Math.max(guard, (settled ? SHRINK : 1) * Math.max(0, ...hits));
    learnt[phase] = Math.round(Math.min(capMs, Math.max(FIRST_POLL_FLOOR_MS, delay)));
  }
  return learnt;
}

/** A finished note of `phase` in `entry` (an order's `pollTiming`), bounded by `capMs`; else undefined. */
function usable(entry: unknown, phase: PollPhase, capMs: number): FinishedNote | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const note = (entry as Record<string, unknown>)[phase];
  if (typeof note !== 'object' || note === null) return undefined;
  const { readyMs, pendingMs } = note as Record<string, unknown>;
  if (!isTime(readyMs)) return undefined;
  const bounded = Math.min(readyMs, capMs);
  if (pendingMs === undefined) return { readyMs: bounded };
  if (!isTime(pendingMs) || pendingMs > readyMs) return undefined;
  return { readyMs: bounded, pendingMs: Math.min(pendingMs, capMs) };
}

interface FinishedNote {
  readonly readyMs: number;
  readonly pendingMs?: number;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
