import { CertkeeperError, ErrorCodes, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import { credentialFrom } from '@certkeeper/dns';

/** Options of {@link httpreq}; the config-file keys are the same. */
export interface HttpreqOptions {
  /** The webhook's base URL (lego's `HTTPREQ_ENDPOINT`); `/present` and `/cleanup` are appended. */
  readonly endpoint: string;
  /** Basic authentication user (lego's `HTTPREQ_USERNAME`); sent only together with `password`. */
  readonly username?: string;
  /** Basic authentication password (lego's `HTTPREQ_PASSWORD`). */
  readonly password?: string;
  /**
   * The server also implements `POST /list` (a certkeeper extension: `{ zone, fqdn? }` in, `[{ fqdn, value, ttl }]`
   * out), which `listRecords` needs and which lets `deleteRecord` say whether the value was there. Default false.
   */
  readonly list?: boolean;
  /** Time limit per request (lego's `HTTPREQ_HTTP_TIMEOUT`). Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Longest `Retry-After` waited inline after a 429 or 5xx; longer waits fail at once with the time. Default 5000 ms. */
  readonly maxRetryWaitMs?: number;
  /**
   * Where the password (and the header made of it) is registered so no log, error or stored record can print it,
   * whatever the webhook echoes back. Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
}

export interface ResolvedOptions {
  readonly endpoint: string;
  readonly authorization?: string;
  readonly list: boolean;
  readonly timeoutMs: number;
  readonly maxRetryWaitMs: number;
  readonly redactor?: SecretRedactor;
}

/** @throws CertkeeperError INVALID_OPTION naming the option, never the password. */
export function resolveOptions(options: HttpreqOptions): ResolvedOptions {
  let url: URL;
  try {
    url = new URL(options.endpoint);
  } catch {
    return invalid(`endpoint "${String(options.endpoint)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    invalid('endpoint must be an http:// or https:// URL');
  // Credentials in the URL would end up in messages and logs: they belong in username and password.
  if (url.username || url.password)
    invalid('endpoint must not contain credentials; use username and password');
  if ((options.username === undefined) !== (options.password === undefined))
    invalid('username and password must be given together (basic authentication), or both left out');
  const redactor = options.redactor ?? processSecretRedactor();
  const password = credentialFrom(options.password, [], redactor);
  const authorization =
    options.username !== undefined && password !== undefined
      ? `Basic ${Buffer.from(`${options.username}:${password}`).toString('base64')}`
      : undefined;
  // The header value as a whole too: a webhook may echo it as it was sent.
  redactor.register(authorization?.slice('Basic '.length));
  return {
    endpoint: url.href,
    ...(authorization ? { authorization } : {}),
    ...(options.redactor ? { redactor: options.redactor } : {}),
    list: options.list ?? false,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
  };
}

function invalid(problem: string): never {
  throw new CertkeeperError(ErrorCodes.INVALID_OPTION, `httpreq option ${problem}.`, {
    hint: 'See the option table in the README of @certkeeper/dns-httpreq (the options match lego’s HTTPREQ_* variables).',
  });
}
