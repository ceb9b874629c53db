import { CertkeeperError, parseRetryAfter } from '@certkeeper/core';
import { providerFailed, providerUnauthorized, withProviderRetry, zoneNotFound } from '@certkeeper/dns';
import { PROVIDER_NAME } from './options.js';

/** What the SDK throws for an HTTP answer (`RestError`), read by shape so no transitive package is imported. */
interface ArmFailure {
  readonly name: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly message: string;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

export function armStatus(error: unknown): number | undefined {
  return isArmFailure(error) ? error.statusCode : undefined;
}

function isArmFailure(error: unknown): error is ArmFailure {
  return error instanceof Error && error.name === 'RestError';
}

/**
 * Runs one Resource Manager call with the port's brief retries and typed errors. The SDK's own retries are off
 * (they wait out any Retry-After, minutes of ARM throttling included), so here: 429 and 5xx are retried while the
 * wait is short, then thrown `retryable` with the `Retry-After` for the caller's scheduler; 401/403 are
 * DNS_PROVIDER_UNAUTHORIZED; `zone` turns a 404 into DNS_ZONE_NOT_FOUND; other answers quote ARM's
 * `{ error: { code, message } }`. `accept` lists statuses handed back as `undefined` instead (404 for "absent").
 */
export function callArm<T>(
  call: () => Promise<T>,
  what: { operation: string; zone?: string; zoneMissingOn404?: boolean; accept?: readonly number[] },
  options: { maxRetryWaitMs: number; signal?: AbortSignal | undefined },
): Promise<T | undefined> {
  return withProviderRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        const status = armStatus(error);
        if (status !== undefined && what.accept?.includes(status)) return undefined;
        throw typed(error, what);
      }
    },
    { maxDelayMs: options.maxRetryWaitMs, ...(options.signal ? { signal: options.signal } : {}) },
  );
}

function typed(
  error: unknown,
  what: { operation: string; zone?: string; zoneMissingOn404?: boolean },
): Error {
  if (CertkeeperError.isInstance(error)) return error;
  if (!isArmFailure(error) || error.statusCode === undefined) {
    if (refusedSignIn(error))
      return providerUnauthorized(PROVIDER_NAME, what.zone, firstLine((error as Error).message));
    const aborted = error instanceof Error && error.name === 'AbortError';
    return providerFailed(
      PROVIDER_NAME,
      what.operation,
      error instanceof Error ? firstLine(error.message) : String(error),
      {
        retryable: !aborted,
        cause: error,
      },
    );
  }
  const status = error.statusCode;
  const detail = `HTTP ${status}${error.code ? ` ${error.code}` : ''}: ${firstLine(error.message)}`;
  if (status === 401 || status === 403) return providerUnauthorized(PROVIDER_NAME, what.zone, detail);
  if (status === 404 && what.zoneMissingOn404 && what.zone) return zoneNotFound(PROVIDER_NAME, what.zone);
  const retryAfter = retryAfterOf(error);
  return providerFailed(PROVIDER_NAME, what.operation, status === 429 ? `${detail} (throttled)` : detail, {
    retryable: status === 429 || status === 408 || status >= 500,
    ...(retryAfter ? { retryAfter } : status === 429 ? { retryAfter: new Date(Date.now() + 60_000) } : {}),
  });
}

/** `Retry-After` in seconds (what ARM sends) or as an HTTP date. */
function retryAfterOf(error: ArmFailure): Date | undefined {
  return parseRetryAfter(error.response?.headers?.get('retry-after'), new Date());
}

/**
 * @azure/identity reports a refused sign-in as AuthenticationError or AuthenticationRequiredError (Entra ID's
 * `AADSTS…` text inside), and no managed identity as CredentialUnavailableError; an unreachable token endpoint
 * comes under the same names and stays a retryable failure.
 */
function refusedSignIn(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'CredentialUnavailableError') return true;
  return (
    /^Authentication(Required)?Error$/.test(error.name) &&
    /AADSTS|invalid_client|unauthorized_client|invalid_grant|invalid_scope|\b40[013]\b/.test(error.message)
  );
}

/** Entra ID errors run to many lines (trace ids, timestamps, links); the first says what failed. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).slice(0, 300);
}
