import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import { credentialFrom } from '@certkeeper/dns';

/** Options of {@link gandi}; the config-file keys are the same. */
export interface GandiOptions {
  /** A Gandi personal access token (sent as `Authorization: Bearer`). Default `$GANDI_PAT`. */
  readonly apiToken?: string;
  /** API root. Default `https://api.gandi.net/v5/livedns` (tests point it at a fake). */
  readonly baseUrl?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Items per listing page. Default 100. */
  readonly pageSize?: number;
  /** Longest `Retry-After` waited inline after a 429 or 5xx; longer waits fail at once with the time. Default 5000 ms. */
  readonly maxRetryWaitMs?: number;
  /**
   * Where the token is registered so no log, error or stored record can print it, whatever the service echoes back.
   * Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
}

export interface ResolvedOptions {
  readonly apiToken: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly pageSize: number;
  readonly maxRetryWaitMs: number;
  readonly redactor?: SecretRedactor;
}

/** LiveDNS refuses TTLs below 300 seconds. */
export const MIN_TTL = 300;

/** @throws CertkeeperError INVALID_OPTION naming the option, never the token. */
export function resolveOptions(options: GandiOptions): ResolvedOptions {
  // Registered with the redactor whether it came from the options or the environment.
  const apiToken = credentialFrom(options.apiToken, ['GANDI_PAT'], options.redactor);
  if (!apiToken?.trim()) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      'The Gandi LiveDNS provider needs a personal access token.',
      {
        hint: 'Pass { apiToken } or set GANDI_PAT to a personal access token allowed to manage the technical configuration of the domains in use.',
      },
    );
  }
  return {
    apiToken,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    baseUrl: options.baseUrl ?? 'https://api.gandi.net/v5/livedns',
    timeoutMs: options.timeoutMs ?? 30_000,
    pageSize: options.pageSize ?? 100,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
  };
}
