import { ErrorCodes } from '../errors/codes.js';
import { type EngineDeps, resolveDeps } from './engine-deps.js';
import { isFinished, type OrderFailure, type OrderState } from './order-state.js';
import { enterPhase } from './step-result.js';
import { cleanup } from './steps/cleanup.js';

/**
 * Give up on an order: remove what was published and deactivate its pending authorizations, so nothing lingers
 * at the CA or in DNS. Safe on a state from any phase, in any process.
 */
export async function abandonOrder(
  state: OrderState,
  deps: EngineDeps,
  reason?: OrderFailure,
): Promise<OrderState> {
  if (isFinished(state)) return state;
  const resolved = resolveDeps(deps);
  deps.client.accountUrl ??= state.accountUrl;
  const failure = state.failure ??
    reason ?? { code: ErrorCodes.ABORTED, message: 'The order was abandoned.' };
  const result = await cleanup(enterPhase(state, 'cleanup', resolved.clock.now(), { failure }), resolved);
  return result.state;
}
