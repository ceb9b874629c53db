import { AcmeProblemError } from '../../errors/acme-problem-error.js';
import { csrForOrder } from '../certificate-request.js';
import { firstPollTime, type ResolvedDeps } from '../engine-deps.js';
import type { OrderState } from '../order-state.js';
import { continueNow, enterPhase, type StepResult } from '../step-result.js';

/**
 * Send the CSR. The order was just seen `ready` by await-validation (or by fetch-authorizations when every
 * authorization was reused), so no extra read is spent. Re-running after a crash is safe: an order already
 * processing or valid answers `orderNotReady`, and polling takes over instead of failing.
 */
export async function finalize(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const { client, clock, signal } = deps;
  try {
    const finalized = await client.orders.finalize(
      state.orderUrl!,
      state.finalizeUrl!,
      await csrForOrder(state),
      signal,
    );
    return afterFinalize(
      state,
      deps,
      finalized.order.status,
      finalized.order.certificate,
      finalized.retryAfter,
    );
  } catch (error) {
    if (!AcmeProblemError.isInstance(error) || error.type !== 'orderNotReady') throw error;
  }
  return { state: enterPhase(state, 'poll-order', clock.now()), next: continueNow };
}

function afterFinalize(
  state: OrderState,
  deps: ResolvedDeps,
  status: OrderState['orderStatus'],
  certificateUrl: string | undefined,
  retryAfter: Date | undefined,
): StepResult {
  const now = deps.clock.now();
  if (status === 'valid' && certificateUrl) {
    return {
      state: enterPhase(state, 'download', now, { orderStatus: status, certificateUrl }),
      next: continueNow,
    };
  }
  const until = firstPollTime(deps, 'issuance', now, retryAfter);
  const next = enterPhase(state, 'poll-order', now, { orderStatus: status });
  return {
    state: { ...next, nextActionAt: until.toISOString() },
    next: { type: 'wait', until, reason: 'the CA is issuing' },
  };
}
