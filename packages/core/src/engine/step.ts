import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { type EngineDeps, type ResolvedDeps, resolveDeps } from './engine-deps.js';
import { assertOrderState, type OrderPhase, type OrderState } from './order-state.js';
import type { StepOptions } from './step-options.js';
import type { StepResult } from './step-result.js';
import { answerChallenges } from './steps/answer-challenges.js';
import { awaitReadiness } from './steps/await-readiness.js';
import { awaitValidation } from './steps/await-validation.js';
import { cleanup } from './steps/cleanup.js';
import { createOrder } from './steps/create-order.js';
import { download } from './steps/download.js';
import { fetchAuthorizations } from './steps/fetch-authorizations.js';
import { finalize } from './steps/finalize.js';
import { pollOrder } from './steps/poll-order.js';
import { publish } from './steps/publish.js';

type Step = (state: OrderState, deps: ResolvedDeps, options: StepOptions) => Promise<StepResult>;

const steps: Record<Exclude<OrderPhase, 'done' | 'failed'>, Step> = {
  'create-order': createOrder,
  'fetch-authorizations': fetchAuthorizations,
  publish,
  'await-readiness': awaitReadiness,
  'answer-challenges': answerChallenges,
  'await-validation': awaitValidation,
  finalize,
  'poll-order': pollOrder,
  download,
  cleanup,
};

/**
 * Run the one step the state is at, and return the new state and what to do next. The building block for an
 * application's own job queue: persist the returned state, then schedule the next call (now, or at
 * `next.until`), from any worker in any process.
 *
 * Every step is idempotent: running it again from the same stored state creates no second order and publishes
 * nothing twice. A step that throws (network failure, rate limit, CA outage) has changed nothing that the state
 * relies on; retry it later from the same state, honouring the error's `retryAfter`.
 *
 * Two workers must not both store the result of a step run on the same stored state: write the returned state
 * with a compare-and-set on the version you read, and drop the result if another worker got there first (the
 * core README, "Drive it from your own job queue"). `options` say who runs the step (see StepOptions).
 */
export async function runStep(
  state: OrderState,
  deps: EngineDeps,
  options: StepOptions = {},
): Promise<StepResult> {
  assertOrderState(state);
  if (state.phase === 'done') return { state, next: { type: 'done' } };
  if (state.phase === 'failed') {
    return {
      state,
      next: {
        type: 'failed',
        failure: state.failure ?? { code: ErrorCodes.ORDER_FAILED, message: 'The order failed.' },
      },
    };
  }
  const resolved = resolveDeps(deps);
  if (deps.client.accountUrl && deps.client.accountUrl !== state.accountUrl) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_STATE,
      `The order ${state.id} belongs to account ${state.accountUrl}, not to this client's ${deps.client.accountUrl}.`,
      {
        hint: 'resume the order with a client for the account that created it.',
      },
    );
  }
  deps.client.accountUrl ??= state.accountUrl;
  const step = steps[state.phase];
  if (!step)
    throw new CertkeeperError(
      ErrorCodes.INVALID_STATE,
      `The order ${state.id} is in an unknown phase "${state.phase}".`,
    );
  return step(state, resolved, options);
}
