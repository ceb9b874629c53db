import { ErrorCodes } from '../../errors/codes.js';
import { shortProblemType } from '../../errors/problem-types.js';
import { formatIdentifier } from '../../identifiers/identifier.js';
import { nextPollTime, type ResolvedDeps } from '../engine-deps.js';
import type { AuthorizationState, OrderState } from '../order-state.js';
import { observePoll } from '../poll-timing.js';
import { continueNow, enterPhase, failOrder, type StepResult, waitInPhase } from '../step-result.js';

/**
 * Wait for the CA to validate by polling the **order**, not each authorization: one request per round whatever
 * the number of names (RFC 8555 §7.1.6: the order turns `ready` once every authorization is valid, `invalid` as
 * soon as one fails). Only on failure are the authorizations read, to say which identifier failed and why.
 */
export async function awaitValidation(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const sentAt = deps.clock.now();
  const { order, retryAfter } = await deps.client.orders.get(state.orderUrl!, deps.signal);
  const now = deps.clock.now();
  const pollTiming = observePoll(state, 'validation', sentAt, order.status !== 'pending');
  switch (order.status) {
    case 'ready':
      return {
        state: enterPhase(state, 'finalize', now, {
          orderStatus: 'ready',
          authorizations: allValid(state.authorizations),
          ...(pollTiming ? { pollTiming } : {}),
        }),
        next: continueNow,
      };
    case 'processing':
    case 'valid':
      // Finalized before a crash lost the state's record of it.
      return {
        state: enterPhase(state, 'poll-order', now, {
          orderStatus: order.status,
          authorizations: allValid(state.authorizations),
        }),
        next: continueNow,
      };
    case 'invalid':
      return explainFailure(state, deps);
    default:
      break;
  }
  if (now.getTime() - Date.parse(state.phaseStartedAt) > deps.polling.timeoutMs) {
    return failOrder(
      state,
      {
        code: ErrorCodes.TIMEOUT,
        message: `The CA did not finish validating ${state.identifiers.map(formatIdentifier).join(', ')} within ${deps.polling.timeoutMs / 1000} s.`,
      },
      now,
    );
  }
  return waitInPhase(
    state,
    nextPollTime(deps, state, retryAfter, 'validation'),
    now,
    'the CA is validating',
    { orderStatus: order.status, ...(pollTiming ? { pollTiming } : {}) },
  );
}

function allValid(authorizations: readonly AuthorizationState[]): AuthorizationState[] {
  return authorizations.map((entry) => ({ ...entry, status: 'valid' }));
}

/** The order went invalid: read the authorizations to find the one that failed, and keep every status for cleanup. */
async function explainFailure(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const fetched = await Promise.all(
    state.authorizations.map((entry) => deps.client.authorizations.get(entry.url, deps.signal)),
  );
  const authorizations = state.authorizations.map((entry, index) => ({
    ...entry,
    status: fetched[index]!.authorization.status,
  }));
  const failed = fetched.find((f) => f.authorization.status === 'invalid')?.authorization;
  const challenge =
    failed?.challenges.find((c) => c.error) ?? failed?.challenges.find((c) => c.status === 'invalid');
  const problem = challenge?.error;
  const name = failed
    ? `${failed.wildcard ? '*.' : ''}${formatIdentifier(failed.identifier)}`
    : state.identifiers.map(formatIdentifier).join(', ');
  return failOrder(
    { ...state, authorizations },
    {
      code: ErrorCodes.AUTHORIZATION_FAILED,
      message: `The CA could not validate ${name}${challenge ? ` (${challenge.type})` : ''}: ${problem ? `${shortProblemType(problem.type)}: ${problem.detail ?? ''}` : 'the order became invalid'}`,
      ...(problem ? { problem } : {}),
      ...(failed ? { identifier: failed.identifier } : {}),
    },
    deps.clock.now(),
  );
}
