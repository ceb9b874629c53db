import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import { credentialFrom } from '@certkeeper/dns';

/** Options of {@link digitalocean}; the config-file keys are the same. */
export interface DigitalOceanOptions {
  /** A personal access token (`dop_v1_…`) with domain:read, domain:create, domain:delete. Default `$DIGITALOCEAN_TOKEN`. */
  readonly apiToken?: string;
  /** API root. Default `https://api.digitalocean.com/v2` (tests point it at a fake). */
  readonly baseUrl?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Records per listing page, 1 to 200 (the API's maximum and this default). */
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
  readonly pageSize: number;
  readonly maxRetryWaitMs: number;
  readonly redactor?: SecretRedactor;
}

/** DigitalOcean refuses TTLs below 30 seconds. */
export const MIN_TTL = 30;

/** @throws CertkeeperError INVALID_OPTION naming the option, never the token. */
export function resolveOptions(options: DigitalOceanOptions): ResolvedOptions {
  // Registered with the redactor whether it came from the options or the environment.
  const apiToken = credentialFrom(options.apiToken, ['DIGITALOCEAN_TOKEN'], options.redactor);
  if (!apiToken?.trim()) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      'The DigitalOcean DNS provider needs an API token.',
      {
        hint: 'Pass { apiToken } or set DIGITALOCEAN_TOKEN to a token with the domain:read, domain:create and domain:delete scopes.',
      },
    );
  }
  const pageSize = options.pageSize ?? 200;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'DigitalOcean option pageSize must be 1 to 200.', {
      hint: 'Leave it out to use 200, the largest page the API gives.',
    });
  }
  return {
    apiToken,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    baseUrl: options.baseUrl ?? 'https://api.digitalocean.com/v2',
    timeoutMs: options.timeoutMs ?? 30_000,
    pageSize,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
  };
}
