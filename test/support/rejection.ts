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
