import type { AcmeClient } from '../client.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { type Logger, silentLogger } from '../ports/logger.js';
import type { ProfileRuleSet } from '../profiles/profile-rules.js';
import type { ChallengeSolver } from './challenge-solver.js';
import type { OrderState } from './order-state.js';

/**
 * How to poll authorizations and orders when the CA gives no `Retry-After`: short intervals that grow to a cap,
 * bounded by a deadline. A `Retry-After` from the CA always wins.
 */
export interface PollPolicy {
  /** First wait after answering challenges or finalizing (default 50 ms; Pebble validates in milliseconds). */
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
  return {
    ...deps,
    clock: deps.clock ?? systemClock,
    logger: deps.logger ?? silentLogger,
    polling: { ...defaultPollPolicy, ...deps.polling },
  };
}

/**
 * The next poll time: the CA's Retry-After if it gave one, else the policy's growing interval. Never past the
 * phase's deadline (`timeoutMs` after it started): a CA asking to come back in a week does not hold an order that
 * gives up after ten minutes — the poll at the deadline ends it with a timeout.
 */
export function nextPollTime(
  deps: ResolvedDeps,
  state: Pick<OrderState, 'attempts' | 'phaseStartedAt'>,
  retryAfter: Date | undefined,
): Date {
  const now = deps.clock.now().getTime();
  const { initialDelayMs, factor, maxDelayMs, timeoutMs } = deps.polling;
  const wanted =
    retryAfter && retryAfter.getTime() > now
      ? retryAfter.getTime()
      : now + Math.min(maxDelayMs, initialDelayMs * factor ** state.attempts);
  const deadline = Date.parse(state.phaseStartedAt) + timeoutMs + 1;
  return new Date(Math.max(now, Math.min(wanted, deadline)));
}
