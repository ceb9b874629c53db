import { CertkeeperError } from '@certkeeper/core';

/** What a test reads off a certkeeper error: the code always, the ACME problem fields when the CA answered. */
export type Rejection = Error & {
  code: string;
  type?: string;
  status?: number;
  url?: string;
  retryAfter?: Date;
};

/**
 * The error a promise rejects with. Unlike `.catch((e) => e)`, a promise that resolves fails the test here instead of
 * handing its result on to assertions about an error.
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    return error as Rejection;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * The `CertkeeperError` a promise rejects with; the test fails when it resolves or rejects with anything else (an
 * untyped error from a provider is a bug the port forbids).
 */
export async function certkeeperRejection(promise: Promise<unknown>): Promise<CertkeeperError> {
  const error = await rejectionOf(promise);
  if (!CertkeeperError.isInstance(error)) throw new Error(`expected a CertkeeperError, got ${String(error)}`);
  return error;
}
