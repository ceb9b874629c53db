import type { AcmeClient } from '../client.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { type Logger, silentLogger } from '../ports/logger.js';
import type { ProfileRuleSet } from '../profiles/profile-rules.js';
import type { ChallengeSolver } from './challenge-solver.js';
import type { OrderState } from './order-state.js';
import type { FirstPollDelays, PollPhase } from './poll-timing.js';

/**
 * How to poll authorizations and orders when the CA gives no `Retry-After`: short intervals that grow to a cap,
 * bounded by a deadline. A `Retry-After` from the CA always wins.
 */
export interface PollPolicy {
  /**
   * First wait after answering challenges or finalizing when nothing was learnt about the CA (default 50 ms).
   * Set, it is used for every order: learnt first polls (`EngineDeps.firstPolls`) are then ignored.
   */
  readonly initialDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  /** Give up on validation after this long in one phase (default 10 min). */
  readonly timeoutMs: number;
}

export const defaultPollPolicy: PollPolicy = {
  initialDelayMs: 50,
  factor: 2,
  maxDelayMs: 10_000,
  timeoutMs: 600_000,
};

/** What the steps need. Plain constructor-style injection: no container inside the engine. */
export interface EngineDeps {
  readonly client: AcmeClient;
  /** In order of preference: for each authorization the first solver whose type is offered and fits wins. */
  readonly solvers: readonly ChallengeSolver[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly polling?: Partial<PollPolicy>;
  /**
   * The first poll of each phase learnt from recent orders at this CA (`learnFirstPolls`), used instead of
   * `polling.initialDelayMs` unless that is set. The CA's Retry-After still wins.
   */
  readonly firstPolls?: FirstPollDelays;
  /**
   * How long newOrder may take before its answer is given up on (default 20 s). It also tells other workers how
   * long to wait for an order this one may be placing (the order intent's `settlesAt`): keep it short.
   */
  readonly newOrderDeadlineMs?: number;
  readonly signal?: AbortSignal;
  /** The CA's profile limits checked before newOrder; default: known by directory URL (`profileRulesFor`). */
  readonly profileRules?: ProfileRuleSet;
}

export interface ResolvedDeps extends EngineDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly polling: PollPolicy;
}

export function resolveDeps(deps: EngineDeps): ResolvedDeps {
  // A configured first wait is the user's choice: nothing learnt overrides it.
  const { firstPolls, ...rest } = deps;
  return {
    ...rest,
    ...(firstPolls && deps.polling?.initialDelayMs === undefined ? { firstPolls } : {}),
    clock: deps.clock ?? systemClock,
    logger: deps.logger ?? silentLogger,
    polling: { ...defaultPollPolicy, ...deps.polling },
  };
}

/** How long after its POST (challenge answers, finalize) a phase is first polled: learnt, else the policy's. */
export function firstPollDelay(deps: ResolvedDeps, phase: PollPhase): number {
  const { initialDelayMs, maxDelayMs } = deps.polling;
  const learnt = deps.firstPolls?.[phase];
  return learnt !== undefined && Number.isFinite(learnt) && learnt >= 0
    ? Math.min(learnt, maxDelayMs)
    : initialDelayMs;
}

/** The first poll after a phase's POST answered at `now`: the CA's Retry-After if later, else `firstPollDelay`. */
export function firstPollTime(
  deps: ResolvedDeps,
  phase: PollPhase,
  now: Date,
  retryAfter: Date | undefined,
): Date {
  return retryAfter && retryAfter > now ? retryAfter : new Date(now.getTime() + firstPollDelay(deps, phase));
}

/**
 * The next poll time: the CA's Retry-After if it gave one, else the policy's growing interval — from the first
 * poll's delay when that was learnt longer (a CA that takes seconds is not then asked every 100 ms). Never past the
 * phase's deadline (`timeoutMs` after it started): a CA asking to come back in a week does not hold an order that
 * gives up after ten minutes — the poll at the deadline ends it with a timeout.
 */
export function nextPollTime(
  deps: ResolvedDeps,
  state: Pick<OrderState, 'attempts' | 'phaseStartedAt'>,
  retryAfter: Date | undefined,
  phase: PollPhase,
): Date {
  const now = deps.clock.now().getTime();
  const { initialDelayMs, factor, maxDelayMs, timeoutMs } = deps.polling;
  const base = Math.max(initialDelayMs, firstPollDelay(deps, phase) / factor);
  const wanted =
    retryAfter && retryAfter.getTime() > now
      ? retryAfter.getTime()
      : now + Math.min(maxDelayMs, base * factor ** state.attempts);
  const deadline = Date.parse(state.phaseStartedAt) + timeoutMs + 1;
  return new Date(Math.max(now, Math.min(wanted, deadline)));
}
