import type { CertkeeperError } from '@certkeeper/core';
import { providerFailed, providerUnauthorized, zoneNotFound } from '@certkeeper/dns';
import type { RunResult } from './run-program.js';

export const PROVIDER_NAME = 'exec';

/**
 * Exit codes a program MAY use to say why it failed (BSD sysexits.h), so certkeeper can report the same typed
 * errors as other providers. Any other non-zero code is a plain `DNS_PROVIDER_FAILED`.
 */
export const EXIT_CODES = {
  /** EX_NOHOST: the DNS host does not serve this zone → `DNS_ZONE_NOT_FOUND`. */
  zoneNotFound: 68,
  /** EX_TEMPFAIL: try again later → `DNS_PROVIDER_FAILED`, retryable. */
  temporaryFailure: 75,
  /** EX_NOPERM: credentials rejected → `DNS_PROVIDER_UNAUTHORIZED`. */
  unauthorized: 77,
} as const;

/** The typed error for a run that did not succeed; `what` is e.g. `present _acme-challenge.www.example.test.`. */
export function runFailure(program: string, what: string, zone: string, result: RunResult): CertkeeperError {
  const stderr = result.stderr.trim();
  const tail = stderr ? `; stderr ends with: ${stderr}` : '; it wrote nothing to stderr';
  if (result.spawnError) {
    return providerFailed(
      PROVIDER_NAME,
      what,
      `could not start "${program}" (${result.spawnError.message}); check the path and that it is executable`,
      {
        retryable: false,
        cause: result.spawnError,
      },
    );
  }
  if (result.timedOut) {
    return providerFailed(
      PROVIDER_NAME,
      what,
      `"${program}" did not finish within the time limit and was killed${tail}`,
      { retryable: true },
    );
  }
  if (result.code === EXIT_CODES.unauthorized) {
    return providerUnauthorized(
      PROVIDER_NAME,
      zone,
      `"${program}" exited with ${result.code} (EX_NOPERM)${tail}`,
    );
  }
  if (result.code === EXIT_CODES.zoneNotFound) return zoneNotFound(PROVIDER_NAME, zone);
  const how = result.code === undefined ? `was killed by ${result.signal}` : `exited with ${result.code}`;
  return providerFailed(PROVIDER_NAME, what, `"${program}" ${how}${tail}`, {
    retryable: result.code === EXIT_CODES.temporaryFailure,
  });
}
