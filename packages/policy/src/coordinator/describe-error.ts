import { AcmeProblemError } from '@certkeeper/core';

/** One line for a reason or a backoff record: the CA's problem type and detail, or the error's first line. */
export function describeError(error: unknown): string {
  if (AcmeProblemError.isInstance(error)) return `${error.type}: ${error.detail ?? ''}`.trim();
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
