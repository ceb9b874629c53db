import type { EnsureOutcome } from '@certkeeper/policy';

/**
 * certkeeper's exit codes (README "Exit codes"; `certkeeper renew --help`). Distinct for each result of a renewal
 * so cron jobs and monitoring can tell them apart; the worst result among several certificates wins:
 * failed > deferred > renewed > fresh.
 */
export const ExitCode = {
  /** Success. For `renew`: every certificate was fresh, nothing was sent to the CA. */
  OK: 0,
  /** At least one certificate failed (or a deploy hook did, or the CA could not be reached). */
  FAILED: 1,
  /**
   * Bad input — a usage error, an invalid config, a missing secret or plugin, an unwritable directory — or a
   * certificate that failed for a local reason (no solver can prove a name, the CA's TLS certificate is not
   * trusted). Nothing was done for it and no backoff was recorded: fix it and run again.
   */
  USAGE: 2,
  /** At least one certificate was deferred (a rate limit or a backoff is in force); none failed. */
  DEFERRED: 3,
  /** `renew` only: at least one certificate was issued or renewed; none failed or was deferred. */
  RENEWED: 4,
  /** Stopped by SIGINT (Ctrl-C), 128 + 2 as shells report it; what was stored is resumed by the next run. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM, 128 + 15; what was stored is resumed by the next run. */
  TERMINATED: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Codes of errors that mean "fix your input": exit USAGE, and nothing was attempted. */
export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set([
  'CERTKEEPER_ERR_CONFIG_INVALID',
  'CERTKEEPER_ERR_SECRET_UNAVAILABLE',
  'CERTKEEPER_ERR_PLUGIN_LOAD_FAILED',
  'CERTKEEPER_ERR_OUTPUT_NOT_WRITABLE',
  'CERTKEEPER_ERR_INVALID_IDENTIFIER',
  'CERTKEEPER_ERR_INVALID_OPTION',
  'CERTKEEPER_ERR_PROFILE_VIOLATION',
  'CERTKEEPER_ERR_NOT_FOUND',
  'CERTKEEPER_ERR_LISTEN_FAILED',
  'CERTKEEPER_ERR_TERMS_NOT_AGREED',
  'CERTKEEPER_ERR_INVALID_CSR',
]);

/**
 * The exit code for a run's results, the worst winning: a local fault (2) > failed (1) > deferred (3) > issued or
 * renewed (4 for `renew`) > fresh (0). `renew` reports RENEWED for new certificates; `issue`, whose purpose is to
 * issue, reports OK for them.
 */
export function exitCodeFor(
  results: ReadonlyArray<{ readonly outcome: EnsureOutcome; readonly deployFailed?: boolean }>,
  command: 'issue' | 'renew',
): ExitCodeValue {
  // A local fault (no solver can prove a name, the CA's TLS certificate is not trusted...) is bad input like any
  // other: a person must change something, and no backoff was recorded, so the fixed run goes ahead at once.
  if (results.some((r) => r.outcome.type === 'failed' && r.outcome.fault === 'local')) return ExitCode.USAGE;
  const failed = results.filter((r) => r.outcome.type === 'failed' || r.deployFailed);
  if (failed.length > 0) {
    // Met under the lease before anything was ordered (a foreign program on the responder's port): bad input,
    // as when found before the run — unless something else failed or was issued, which USAGE would hide.
    const inputOnly =
      failed.every((r) => !r.deployFailed && isInputError(r.outcome)) &&
      !results.some((r) => r.outcome.type === 'issued' || r.outcome.type === 'renewed');
    return inputOnly ? ExitCode.USAGE : ExitCode.FAILED;
  }
  if (results.some((r) => r.outcome.type === 'deferred')) return ExitCode.DEFERRED;
  if (command === 'renew' && results.some((r) => r.outcome.type === 'issued' || r.outcome.type === 'renewed'))
    return ExitCode.RENEWED;
  return ExitCode.OK;
}

function isInputError(outcome: EnsureOutcome): boolean {
  if (outcome.type !== 'failed') return false;
  const code = (outcome.error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && INPUT_ERROR_CODES.has(code);
}
