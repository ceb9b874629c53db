import { randomUUID } from 'node:crypto';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { AbortedError } from '../errors/transport-errors.js';
import { systemClock } from '../ports/clock.js';
import { sleep } from '../ports/sleep.js';
import { observeRequestRetries, type RequestRetry, retryReason } from '../transport/request-retries.js';
import { abandonOrder } from './abandon-order.js';
import { EarlyCleanup } from './early-cleanup.js';
import { type EngineDeps, resolveDeps } from './engine-deps.js';
import { failureFromError, OrderFailedError, OrderSuspendedError } from './failure.js';
import type { IssuedCertificate, OrderState } from './order-state.js';
import { runStep } from './step.js';
import type { StepResult } from './step-result.js';

export interface RunOrderOptions {
  /**
   * Called with every new state before the next step runs, and with what comes next (absent for an abandoned
   * order's last state): persist it here to survive a crash — every state, or those `checkpointNeeded` says a
   * resumed run could not find again.
   */
  readonly onState?: (state: OrderState, next?: StepResult['next']) => Promise<void> | void;
  /** Called after every step with what comes next (for progress displays: a wait's reason names lagging servers). */
  readonly onStep?: (result: StepResult) => void;
  /**
   * Called before a step that threw a retryable error is retried, and before the transport sends one of the step's
   * requests again, with the time it goes: without it a retried request (a 5xx, a network failure) only looks like
   * a step that takes long.
   */
  readonly onRetry?: (retry: StepRetry) => void;
  /**
   * How many times a step that threw a retryable error (network, 5xx, badNonce exhausted) is retried before
   * the order is abandoned (default 3). A rate-limit answer is never retried here: it is thrown at once with its
   * `retryAfter`, so a caller's policy can schedule one retry at that time.
   */
  readonly maxStepRetries?: number;
  /**
   * Hand back, instead of sleeping through, any wait longer than this (ms): the state is persisted through `onState`
   * and an OrderSuspendedError carries the time to resume. For workers that must not sleep in a propagation wait.
   */
  readonly suspendWaitsLongerThanMs?: number;
  /** Passed to every step (StepOptions.worker); default a random id for this call, so its own intents are its own. */
  readonly worker?: string;
  /** Passed to every step (StepOptions.exclusive): the caller holds a lease every earlier worker lost. */
  readonly exclusive?: boolean;
}

/**
 * A step about to be run again after a retryable error (`request: false`), or one of its requests that the transport
 * sends again (`request: true`: a network failure, a short 503 waited out): attempt `attempt` of `attempts`, at `at`.
 */
export interface StepRetry extends RequestRetry {
  readonly state: OrderState;
  readonly request: boolean;
}

export interface RunOrderResult {
  readonly state: OrderState;
  readonly certificate: IssuedCertificate;
}

/**
 * Drive an order to the end in this process: the same steps an application's job queue would run, with the
 * waits done here (abortably). On a permanent failure the order is cleaned up and the error thrown; on abort the
 * current state is left as it is (persisted through `onState`) so it can be resumed or abandoned later.
 *
 * DNS records are removed once the CA has validated every authorization and the order is finalized, while the CA
 * issues and the certificate is downloaded (`EarlyCleanup`), once `onState` has returned for the finalized state — which a caller storing only
 * checkpoints must store (`checkpointNeeded` says so). The call returns only after that removal has ended, whatever
 * the outcome.
 */
export async function runOrder(
  initial: OrderState,
  deps: EngineDeps,
  options: RunOrderOptions = {},
): Promise<RunOrderResult> {
  const clock = deps.clock ?? systemClock;
  const maxRetries = options.maxStepRetries ?? 3;
  const stepOptions = { worker: options.worker ?? randomUUID(), exclusive: options.exclusive === true };
  let state = initial;
  let retries = 0;
  const early = new EarlyCleanup(resolveDeps(deps));
  try {
    for (;;) {
      // The cleanup step finds nothing left to remove once the early cleanup has done it.
      if (state.phase === 'cleanup') state = await early.settle(state);
      if (deps.signal?.aborted) throw new AbortedError(`Order ${state.id}`, deps.signal.reason);
      let result: Awaited<ReturnType<typeof runStep>>;
      try {
        const current = state;
        result = options.onRetry
          ? await observeRequestRetries(
              (retry) => options.onRetry?.({ ...retry, state: current, request: true }),
              () => runStep(current, deps, stepOptions),
            )
          : await runStep(state, deps, stepOptions);
      } catch (error) {
        // Cancelled: whatever the interrupted request threw (undici's AbortError, a TimeoutError), the caller gets the
        // documented ABORTED error, with the signal's reason as its cause.
        if (deps.signal?.aborted) {
          if (CertkeeperError.isInstance(error) && error.code === 'CERTKEEPER_ERR_ABORTED') throw error;
          throw new AbortedError(`Order ${state.id}`, deps.signal.reason);
        }
        const retryable =
          CertkeeperError.isInstance(error) &&
          error.retryable &&
          error.code !== 'CERTKEEPER_ERR_RATE_LIMITED';
        if (retryable && retries < maxRetries) {
          retries++;
          const retryAt =
            (error as CertkeeperError).retryAfter?.getTime() ?? clock.now().getTime() + 500 * 2 ** retries;
          options.onRetry?.({
            state,
            request: false,
            reason: retryReason(error),
            attempt: retries + 1,
            attempts: maxRetries + 1,
            at: new Date(retryAt),
          });
          await sleep(retryAt - clock.now().getTime(), deps.signal);
          continue;
        }
        state = await early.settle(state);
        state = await abandonOrder(state, deps, failureFromError(error)).catch(() => state);
        await options.onState?.(state);
        throw error;
      }
      retries = 0;
      state = result.state;
      await options.onState?.(state, result.next);
      // Only now: a finalized state must be stored before its records go (see removesRecordsEarly).
      early.observe(state);
      options.onStep?.(result);
      switch (result.next.type) {
        case 'continue':
          break;
        case 'wait': {
          const waitMs = result.next.until.getTime() - clock.now().getTime();
          if (options.suspendWaitsLongerThanMs !== undefined && waitMs > options.suspendWaitsLongerThanMs) {
            throw new OrderSuspendedError(state, result.next.until, result.next.reason);
          }
          await sleep(waitMs, deps.signal);
          break;
        }
        case 'done':
          return { state, certificate: state.certificate! };
        case 'failed':
          throw new OrderFailedError(result.next.failure);
      }
    }
  } finally {
    // No removal outlives the call (the caller releases the solvers' resources after it); settle never throws.
    await early.settle(state);
  }
}
