import { type AcmeProblem, AcmeProblemError } from '../errors/acme-problem-error.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import type { OrderFailure, OrderState } from './order-state.js';

/** Turn any thrown value into the JSON failure kept in the order state. */
export function failureFromError(error: unknown): OrderFailure {
  if (AcmeProblemError.isInstance(error)) {
    return {
      code: error.code,
      message: error.message,
      problem: error.problem,
      identifier: error.identifier,
      retryAfter: error.retryAfter?.toISOString(),
    };
  }
  if (CertkeeperError.isInstance(error)) {
    return { code: error.code, message: error.message, retryAfter: error.retryAfter?.toISOString() };
  }
  return { code: ErrorCodes.SOLVER_FAILED, message: error instanceof Error ? error.message : String(error) };
}

/**
 * An order ended without a certificate (an authorization or the order itself became invalid, validation timed
 * out, no solver fits). Carries the stored failure: the CA's problem document and the identifier it concerned.
 */
export class OrderFailedError extends CertkeeperError {
  readonly failure: OrderFailure;
  readonly problem: AcmeProblem | undefined;
  readonly identifier: Identifier | undefined;

  constructor(failure: OrderFailure) {
    super(failure.code, failure.message, {
      retryAfter: failure.retryAfter ? new Date(failure.retryAfter) : undefined,
    });
    this.failure = failure;
    this.problem = failure.problem;
    this.identifier = failure.identifier;
  }
}

/**
 * Not a failure: `runOrder` met a wait longer than `suspendWaitsLongerThanMs` and handed it back instead of
 * sleeping, after persisting the state. A job queue schedules the next step at `retryAfter`, freeing the worker.
 */
export class OrderSuspendedError extends CertkeeperError {
  readonly state: OrderState;
  readonly reason: string;

  constructor(state: OrderState, until: Date, reason: string) {
    super(ErrorCodes.SUSPENDED, `Order ${state.id} waits until ${until.toISOString()}: ${reason}.`, {
      retryAfter: until,
      retryable: true,
    });
    this.state = state;
    this.reason = reason;
  }
}
