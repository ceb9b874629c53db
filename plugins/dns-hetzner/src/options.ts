import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import { credentialFrom } from '@certkeeper/dns';

/** Options of {@link hetzner}; the config-file keys are the same. */
export interface HetznerOptions {
  /** A Hetzner Cloud API token (Read & Write) of the project holding the zones. Default `$HETZNER_API_TOKEN`, then `$HCLOUD_TOKEN`. */
  readonly apiToken?: string;
  /** API root. Default `https://api.hetzner.cloud/v1` (tests point it at a fake). */
  readonly baseUrl?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Longest wait for a record change (an action) to finish. Default 60 000 ms. */
  readonly actionTimeoutMs?: number;
  /** First poll of a running action after this long, then ×1.5 up to 2 s. Default 250 ms. */
  readonly actionPollIntervalMs?: number;
  /** Items per listing page, 1 to 100. Default 100. */
  readonly pageSize?: number;
  /** Longest `Retry-After` / rate-limit reset waited inline; longer waits fail at once with the time. Default 5000 ms. */
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
  readonly actionTimeoutMs: number;
  readonly actionPollIntervalMs: number;
  readonly pageSize: number;
  readonly maxRetryWaitMs: number;
  readonly redactor?: SecretRedactor;
}

/** Hetzner DNS refuses TTLs below 60 seconds. */
export const MIN_TTL = 60;

/** @throws CertkeeperError INVALID_OPTION naming the option, never the token. */
export function resolveOptions(options: HetznerOptions): ResolvedOptions {
  // Registered with the redactor whether it came from the options or the environment.
  const apiToken = credentialFrom(options.apiToken, ['HETZNER_API_TOKEN', 'HCLOUD_TOKEN'], options.redactor);
  if (!apiToken?.trim()) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'The Hetzner DNS provider needs an API token.', {
      hint: 'Pass { apiToken } or set HETZNER_API_TOKEN to a Read & Write token of the Hetzner Console project that holds the zones.',
    });
  }
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'Hetzner option pageSize must be 1 to 100.', {
      hint: 'Leave it out to use 100, the largest page the API gives.',
    });
  }
  return {
    apiToken,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    baseUrl: options.baseUrl ?? 'https://api.hetzner.cloud/v1',
    timeoutMs: options.timeoutMs ?? 30_000,
    actionTimeoutMs: options.actionTimeoutMs ?? 60_000,
    actionPollIntervalMs: options.actionPollIntervalMs ?? 250,
    pageSize,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
  };
}
