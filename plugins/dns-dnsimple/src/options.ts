import { CertkeeperError, ErrorCodes, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';

/** Options of {@link dnsimple}; the config-file keys are the same (but `redactor`, code only). */
export interface DnsimpleOptions {
  /** An account access token of the account holding the zones. Default `$DNSIMPLE_TOKEN`. */
  readonly apiToken?: string;
  /** The account id (a number). Default: the token's own account, asked once from `/v2/whoami`; required for a user token. */
  readonly accountId?: number;
  /** Use the sandbox (`https://api.sandbox.dnsimple.com`), for a sandbox account and token. Default false. */
  readonly sandbox?: boolean;
  /** API origin, without `/v2`. Default `https://api.dnsimple.com` (tests point it at a fake). */
  readonly baseUrl?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Items per listing page, 1 to 100 (the API's maximum and this default). */
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
  readonly accountId: number | undefined;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly pageSize: number;
  readonly maxRetryWaitMs: number;
  readonly redactor: SecretRedactor;
}

/** DNSimple refuses TTLs below 60 seconds. */
export const MIN_TTL = 60;

/** @throws CertkeeperError INVALID_OPTION naming the option, never the token. */
export function resolveOptions(options: DnsimpleOptions): ResolvedOptions {
  const apiToken = options.apiToken ?? process.env.DNSIMPLE_TOKEN;
  if (!apiToken?.trim()) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'The DNSimple DNS provider needs an API token.', {
      hint: 'Pass { apiToken } or set DNSIMPLE_TOKEN to an account access token of the account holding the zones.',
    });
  }
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'DNSimple option pageSize must be 1 to 100.', {
      hint: 'Leave it out to use 100, the largest page the API gives.',
    });
  }
  if (options.accountId !== undefined && (!Number.isInteger(options.accountId) || options.accountId < 1)) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      'DNSimple option accountId must be a positive whole number.',
      {
        hint: "Use the number in the account's dashboard URL (https://dnsimple.com/a/<accountId>/…), or leave it out for an account token.",
      },
    );
  }
  return {
    apiToken,
    accountId: options.accountId,
    baseUrl:
      options.baseUrl ?? (options.sandbox ? 'https://api.sandbox.dnsimple.com' : 'https://api.dnsimple.com'),
    timeoutMs: options.timeoutMs ?? 30_000,
    pageSize,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
    redactor: options.redactor ?? processSecretRedactor(),
  };
}
