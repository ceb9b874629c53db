import { CertkeeperError, ErrorCodes, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import type { RetryOptions } from '@certkeeper/dns';

export interface PowerDnsOptions {
  /** Base URL of the API (the `webserver-address`/`webserver-port` of pdns.conf), e.g. `http://127.0.0.1:8081`. */
  readonly apiUrl: string;
  /** The `api-key` of pdns.conf, sent as `X-API-Key`. Never part of an error message or log line. */
  readonly apiKey: string;
  /** Server id in the API path. Default `localhost` (the only id the Authoritative Server uses). */
  readonly serverId?: string;
  /** Time limit per HTTP request. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Brief retries of HTTP 429/5xx and network errors. Default 3 attempts, 250 ms apart, doubling. */
  readonly retry?: RetryOptions;
  /**
   * How often one create/delete re-applies its change when the read-back shows another writer replaced the
   * RRset in between. Default 3.
   */
  readonly conflictRetries?: number;
  /**
   * Where this provider registers its secrets at construction, so every sink scrubs them from what a DNS API
   * echoes back. Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
}

export interface ResolvedOptions {
  readonly base: URL;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly conflictRetries: number;
  readonly redactor: SecretRedactor;
}

/** @throws CertkeeperError INVALID_OPTION naming the option (never its value when it is the key). */
export function resolveOptions(options: PowerDnsOptions): ResolvedOptions {
  let url: URL;
  try {
    url = new URL(options.apiUrl);
  } catch {
    return invalid('apiUrl', `"${String(options.apiUrl)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    invalid('apiUrl', 'must be an http:// or https:// URL');
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') invalid('apiKey', 'is empty');
  const serverId = options.serverId ?? 'localhost';
  if (!/^[A-Za-z0-9._-]+$/.test(serverId)) invalid('serverId', `"${serverId}" is not a server id`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    invalid('timeoutMs', 'must be a positive number of milliseconds');
  const conflictRetries = options.conflictRetries ?? 3;
  if (!Number.isInteger(conflictRetries) || conflictRetries < 0)
    invalid('conflictRetries', 'must be a whole number');
  // Accept the URL with or without the /api/v1 suffix people copy from the PowerDNS docs.
  const root = url.href.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return {
    base: new URL(`${root}/api/v1/servers/${encodeURIComponent(serverId)}/`),
    apiKey: options.apiKey,
    timeoutMs,
    retry: { attempts: 3, baseDelayMs: 250, ...options.retry },
    conflictRetries,
    redactor: options.redactor ?? processSecretRedactor(),
  };
}

function invalid(option: string, problem: string): never {
  throw new CertkeeperError(ErrorCodes.INVALID_OPTION, `powerdns option ${option} ${problem}.`, {
    hint: 'See the README of @certkeeper/dns-powerdns; the API URL and key are the webserver-* and api-key settings of pdns.conf.',
  });
}
