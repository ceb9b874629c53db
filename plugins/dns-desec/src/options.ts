import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import { credentialFrom } from '@certkeeper/dns';

/** Options of {@link desec}; the config-file keys are the same. */
export interface DesecOptions {
  /** A deSEC API token, ideally restricted by a token policy (see the README). Default `$DESEC_TOKEN`. */
  readonly apiToken?: string;
  /** API root. Default `https://desec.io/api/v1` (tests point it at a fake). */
  readonly baseUrl?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /**
   * Longest `Retry-After` waited inline after a throttled request (deSEC allows 2 RRset writes per second per
   * domain, 15 per minute). A longer wait fails at once, retryable, with the time. Default 5000 ms.
   */
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
  readonly maxRetryWaitMs: number;
  readonly redactor?: SecretRedactor;
}

/** @throws CertkeeperError INVALID_OPTION naming the option, never the token. */
export function resolveOptions(options: DesecOptions): ResolvedOptions {
  // Registered with the redactor whether it came from the options or the environment.
  const apiToken = credentialFrom(options.apiToken, ['DESEC_TOKEN'], options.redactor);
  if (!apiToken?.trim()) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'The deSEC DNS provider needs an API token.', {
      hint: 'Pass { apiToken } or set DESEC_TOKEN to a deSEC token (restrict it with a token policy, see the README).',
    });
  }
  return {
    apiToken,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    baseUrl: options.baseUrl ?? 'https://desec.io/api/v1',
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
  };
}
