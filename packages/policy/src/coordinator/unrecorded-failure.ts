import { faultOf, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import { type BackoffOptions, nextRetryAfterFailure } from '../backoff/backoff-policy.js';
import type { EnsureOutcome } from '../outcome.js';
import { describeError } from './describe-error.js';

/**
 * The outcome of a failure that records no backoff: a local problem or an unreachable network met by an order, or
 * an error thrown before the coordinator was reached (a preflight refusal, a registration that failed). Another run
 * may try at once; `retryAt` only paces in-process retries (a daemon's next sweep, a job queue's next attempt): the
 * first backoff step (about a minute) unless the fault is local, then the third (about 100 minutes — nothing
 * changes until a person acts).
 */
export function unrecordedFailure(
  error: unknown,
  now: Date,
  backoff?: BackoffOptions,
  /** Scrubs the reason (the error may carry text a CA or DNS API echoed); default the process's. */
  redactor: SecretRedactor = processSecretRedactor(),
): Extract<EnsureOutcome, { type: 'failed' }> {
  const fault = faultOf(error);
  const why =
    fault === 'local'
      ? 'a local problem, not the CA’s answer: fix it and run again'
      : fault === 'network'
        ? 'the network: retry when it is reachable'
        : 'the CA’s answer, met outside an order';
  return {
    type: 'failed',
    error,
    fault,
    retryAt: nextRetryAfterFailure(fault === 'local' ? 3 : 1, now, { ...backoff, random: () => 1 }),
    failures: 0,
    reason: `failed (${why}; no backoff recorded): ${redactor.redact(describeError(error))}`,
    joined: false,
  };
}
