import { ErrorCodes } from '../../errors/codes.js';
import { shortProblemType } from '../../errors/problem-types.js';
import { nextPollTime, type ResolvedDeps } from '../engine-deps.js';
import type { OrderState } from '../order-state.js';
import { observePoll } from '../poll-timing.js';
import { continueNow, enterPhase, failOrder, type StepResult, waitInPhase } from '../step-result.js';

/** Poll the order until the CA has issued (valid, with a certificate URL) or given up (invalid). */
export async function pollOrder(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const sentAt = deps.clock.now();
  const { order, retryAfter } = await deps.client.orders.get(state.orderUrl!, deps.signal);
  const now = deps.clock.now();
  const pollTiming = observePoll(state, 'issuance', sentAt, order.status === 'valid');
  if (order.status === 'valid' && order.certificate) {
    return {
      state: enterPhase(state, 'download', now, {
        orderStatus: 'valid',
        certificateUrl: order.certificate,
        ...(pollTiming ? { pollTiming } : {}),
      }),
      next: continueNow,
    };
  }
  if (order.status === 'ready') {
    // Finalization did not take (a crash between orders.get and finalize): finalize again.
    return { state: enterPhase(state, 'finalize', now, { orderStatus: 'ready' }), next: continueNow };
  }
  if (order.status === 'pending') {
    // Validation is not finished after all (a stale state): wait for it again.
    return {
      state: enterPhase(state, 'await-validation', now, { orderStatus: 'pending' }),
      next: continueNow,
    };
  }
  if (order.status === 'invalid') {
    const problem = order.error;
    return failOrder(
      { ...state, orderStatus: order.status },
      {
        code: ErrorCodes.ORDER_FAILED,
        message: `The order ${state.orderUrl} is ${order.status}${problem ? `: ${shortProblemType(problem.type)}: ${problem.detail ?? ''}` : ''}.`,
        problem,
      },
      now,
    );
  }
  if (now.getTime() - Date.parse(state.phaseStartedAt) > deps.polling.timeoutMs) {
    return failOrder(
      state,
      {
        code: ErrorCodes.TIMEOUT,
        message: `The CA did not issue the certificate for order ${state.orderUrl} within ${deps.polling.timeoutMs / 1000} s.`,
      },
      now,
    );
  }
  return waitInPhase(state, nextPollTime(deps, state, retryAfter, 'issuance'), now, 'the CA is issuing', {
    orderStatus: order.status,
    ...(pollTiming ? { pollTiming } : {}),
  });
}
