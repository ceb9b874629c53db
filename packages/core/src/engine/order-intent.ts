import { AcmeProblemError } from '../errors/acme-problem-error.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { OrderIntent } from './order-state.js';
import type { StepOptions } from './step-options.js';

/** The longest a newOrder may take before create-order gives up on its answer (EngineDeps.newOrderDeadlineMs). */
export const DEFAULT_NEW_ORDER_DEADLINE_MS = 20_000;

/** Added to a deadline before an intent counts as settled: clocks of two workers differ, the CA commits late. */
export const INTENT_SETTLE_MARGIN_MS = 5_000;

/** A newOrder is about to be sent by `worker`; it may still be on its way until the deadline (plus the margin). */
export function freshIntent(now: Date, worker: string | undefined, deadlineMs: number): OrderIntent {
  return {
    at: now.toISOString(),
    ...(worker !== undefined ? { worker } : {}),
    settlesAt: new Date(now.getTime() + deadlineMs + INTENT_SETTLE_MARGIN_MS).toISOString(),
  };
}

/** newOrder was sent and no answer can be trusted: look for the order once the CA has had time to commit it. */
export function unknownOutcomeIntent(now: Date, worker: string | undefined): OrderIntent {
  return { ...freshIntent(now, worker, 0), outcomeUnknown: true };
}

/**
 * Recorded by this same worker, which therefore knows nothing was sent for it yet (a send whose result is not
 * known rewrites the intent as `outcomeUnknown`). An anonymous caller cannot tell its intents from another
 * anonymous caller's: it takes a fresh anonymous intent as its own — what certkeeper did before intents — so for
 * it only an intent older than `settlesAt` is looked for in the orders list.
 */
export function isOwnIntent(intent: OrderIntent, now: Date, options: StepOptions): boolean {
  if (intent.outcomeUnknown === true) return false;
  if (options.worker !== undefined) return intent.worker === options.worker;
  return intent.worker === undefined && now.getTime() < Date.parse(intent.settlesAt);
}

/**
 * Whether a newOrder for this intent (not our own) may still be on its way. An exclusive caller knows every other
 * worker stopped; an unknown outcome of a request is waited out in any case (the CA may still be committing it).
 */
export function mayBeInFlight(intent: OrderIntent, now: Date, options: StepOptions): boolean {
  if (!(now.getTime() < Date.parse(intent.settlesAt))) return false;
  return intent.outcomeUnknown === true || options.exclusive !== true;
}

/**
 * Whether a newOrder that threw may still have created an order. A problem document with a 4xx status is the CA's
 * refusal (rateLimited, malformed, badNonce…): nothing was created. A network failure, a deadline, a 5xx or an
 * answer that is not ACME leave it unknown.
 */
export function newOrderOutcomeUnknown(error: unknown): boolean {
  if (AcmeProblemError.isInstance(error)) return error.status === undefined || error.status >= 500;
  if (!CertkeeperError.isInstance(error)) return true;
  return (
    error.code === ErrorCodes.NETWORK ||
    error.code === ErrorCodes.TIMEOUT ||
    error.code === ErrorCodes.PROTOCOL
  );
}
