import { CertkeeperError, ErrorCodes, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import { parseServerAddress, type ServerAddress } from '@certkeeper/dns';
import { type AcmeDnsAccount, type AcmeDnsAccounts, parseAccounts } from './accounts.js';

/** Options of {@link acmeDns}; the config-file keys are the same. */
export interface AcmeDnsOptions {
  /** The acme-dns server's API, e.g. `https://auth.acme-dns.io`. */
  readonly apiUrl: string;
  /** Domain → account: the credentials file `certkeeper acme-dns register` writes, as JSON text or an object. */
  readonly accounts: string | AcmeDnsAccounts;
  /**
   * The acme-dns DNS server to read values back from (`host:port`, an IP address), for `listRecords` and for not
   * sending a value twice. Default: the API host's address, port 53 (acme-dns serves both).
   */
  readonly dnsServer?: string;
  /** Time limit per request and per DNS query. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Longest `Retry-After` waited inline after a 429 or 5xx; longer waits fail at once with the time. Default 5000 ms. */
  readonly maxRetryWaitMs?: number;
  /**
   * Where each account's password (`X-Api-Key`) is registered so no log, error or stored record can print it,
   * whatever the server echoes back. Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
}

export interface ResolvedOptions {
  readonly apiUrl: string;
  readonly accounts: Map<string, AcmeDnsAccount>;
  readonly dnsServer?: ServerAddress;
  readonly timeoutMs: number;
  readonly maxRetryWaitMs: number;
  readonly redactor?: SecretRedactor;
}

/** @throws CertkeeperError INVALID_OPTION naming the option, never a password. */
export function resolveOptions(options: AcmeDnsOptions): ResolvedOptions {
  let url: URL;
  try {
    url = new URL(options.apiUrl);
  } catch {
    throw invalid(`apiUrl "${String(options.apiUrl)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid('apiUrl must be an http:// or https:// URL');
  const redactor = options.redactor ?? processSecretRedactor();
  if (typeof options.accounts === 'string') redactor.register(options.accounts);
  const accounts = parseAccounts(options.accounts);
  // The file as a whole is a secret option; the passwords inside it are what each request sends.
  for (const account of accounts.values()) redactor.register(account.password);
  return {
    apiUrl: url.href,
    accounts,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    ...(options.dnsServer ? { dnsServer: parseServerAddress(options.dnsServer) } : {}),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
  };
}

function invalid(problem: string): CertkeeperError {
  return new CertkeeperError(ErrorCodes.INVALID_OPTION, `acme-dns option ${problem}.`, {
    hint: 'See the option table in the README of @certkeeper/dns-acme-dns.',
  });
}
