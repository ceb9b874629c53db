import { CertkeeperError, ErrorCodes, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';

/** Options of {@link linode}; the config-file keys are the same (but `redactor`, code only). */
export interface LinodeOptions {
  /** A personal access token with the `domains:read_write` scope. Default `$LINODE_TOKEN`. */
  readonly apiToken?: string;
  /** API root. Default `https://api.linode.com/v4` (tests point it at a fake). */
  readonly baseUrl?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Items per listing page, 25 to 500 (the API's range). Default 500. */
  readonly pageSize?: number;
  /** Longest `Retry-After` / rate-limit reset waited inline; longer waits fail at once with the time. Default 5000 ms. */
  readonly maxRetryWaitMs?: number;
  /**
   * Where the token is registered so no log or error can print it even if the API echoes it back. Default: the
   * process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
}

export interface ResolvedOptions {
  readonly apiToken: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly pageSize: number;
  readonly maxRetryWaitMs: number;
  readonly redactor: SecretRedactor;
}

/** @throws CertkeeperError INVALID_OPTION naming the option, never the token. */
export function resolveOptions(options: LinodeOptions): ResolvedOptions {
  const apiToken = options.apiToken ?? process.env.LINODE_TOKEN;
  if (!apiToken?.trim()) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'The Linode DNS provider needs an API token.', {
      hint: 'Pass { apiToken } or set LINODE_TOKEN to a personal access token with the Domains read/write scope.',
    });
  }
  const pageSize = options.pageSize ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 25 || pageSize > 500) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'Linode option pageSize must be 25 to 500.', {
      hint: 'Leave it out to use 500, the largest page the API gives.',
    });
  }
  return {
    apiToken,
    baseUrl: options.baseUrl ?? 'https://api.linode.com/v4',
    timeoutMs: options.timeoutMs ?? 30_000,
    pageSize,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
    redactor: options.redactor ?? processSecretRedactor(),
  };
}
