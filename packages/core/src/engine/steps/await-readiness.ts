import { ErrorCodes } from '../../errors/codes.js';
import type { ResolvedDeps } from '../engine-deps.js';
import type { OrderState } from '../order-state.js';
import { continueNow, enterPhase, failOrder, type StepResult, waitInPhase } from '../step-result.js';
import { receiptsBySolver } from './publish.js';

/**
 * Ask each solver whether its responses are visible to the CA yet (DNS propagation). Never sleeps: a solver that
 * is not ready says when to check again, and the driver — or an application's job queue — waits.
 */
export async function awaitReadiness(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const pending: { until: Date; detail: string }[] = [];
  for (const [solver, receipts] of receiptsBySolver(state, state.receipts, deps)) {
    if (!solver.checkReady) continue;
    const type = [...new Set(receipts.map((receipt) => receipt.type))].join('/');
    const result = await solver.checkReady(receipts, { signal: deps.signal });
    if (result.ready) continue;
    if (result.failed) {
      return failOrder(
        state,
        {
          code: result.code ?? ErrorCodes.SOLVER_FAILED,
          message: result.code
            ? `${type}: ${result.detail}`
            : `${type} responses never became visible: ${result.detail}`,
        },
        deps.clock.now(),
      );
    }
    pending.push({ until: result.checkAgainAt, detail: `${type}: ${result.detail}` });
  }
  const now = deps.clock.now();
  if (pending.length > 0) {
    const until = new Date(Math.max(...pending.map((p) => p.until.getTime())));
    return waitInPhase(state, until, now, pending.map((p) => p.detail).join('; '));
  }
  return { state: enterPhase(state, 'answer-challenges', now), next: continueNow };
}
