import type { OrderFailure, OrderPhase, OrderState } from './order-state.js';

/** What to do after a step: run the next one now, wait until a time, or stop. */
export type NextAction =
  | { readonly type: 'continue' }
  | { readonly type: 'wait'; readonly until: Date; readonly reason: string }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly failure: OrderFailure };

export interface StepResult {
  readonly state: OrderState;
  readonly next: NextAction;
}

export const continueNow: NextAction = { type: 'continue' };

/** Move to another phase, resetting the per-phase attempt counter. */
export function enterPhase(
  state: OrderState,
  phase: OrderPhase,
  now: Date,
  changes: Partial<OrderState> = {},
): OrderState {
  return {
    ...state,
    ...changes,
    phase,
    attempts: 0,
    phaseStartedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    nextActionAt: undefined,
  };
}

/** Stay in the phase, count an attempt and schedule the next one. */
export function waitInPhase(
  state: OrderState,
  until: Date,
  now: Date,
  reason: string,
  changes: Partial<OrderState> = {},
): StepResult {
  return {
    state: {
      ...state,
      ...changes,
      attempts: state.attempts + 1,
      updatedAt: now.toISOString(),
      nextActionAt: until.toISOString(),
    },
    next: { type: 'wait', until, reason },
  };
}

/** Record a failure and go to cleanup, which deactivates what is pending and removes what was published. */
export function failOrder(state: OrderState, failure: OrderFailure, now: Date): StepResult {
  return { state: enterPhase(state, 'cleanup', now, { failure }), next: continueNow };
}
