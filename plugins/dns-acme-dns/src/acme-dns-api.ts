import { processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import { ProviderHttpClient, providerFailed } from '@certkeeper/dns';
import type { AcmeDnsAccount } from './accounts.js';

export const PROVIDER_NAME = 'acme-dns';

/** acme-dns answers errors as `{"error": "forbidden" | "bad_txt" | "bad_subdomain" | …}`. */
export function createApi(
  apiUrl: string,
  options: { timeoutMs: number; maxRetryWaitMs: number; attempts?: number; redactor?: SecretRedactor },
): ProviderHttpClient {
  return new ProviderHttpClient({
    provider: PROVIDER_NAME,
    baseUrl: apiUrl,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    timeoutMs: options.timeoutMs,
    retry: {
      maxDelayMs: options.maxRetryWaitMs,
      ...(options.attempts ? { attempts: options.attempts } : {}),
    },
    describeError: (body) => {
      const error = (body as { error?: unknown } | undefined)?.error;
      return typeof error === 'string' ? error : undefined;
    },
  });
}

/** The headers `POST /update` authenticates with. */
export function credentialsOf(account: AcmeDnsAccount): Record<string, string> {
  return { 'x-api-user': account.username, 'x-api-key': account.password };
}

/**
 * `POST /register`: a new account (subdomain and credentials) on the server, optionally only usable from
 * `allowFrom` networks (CIDR). Used by `certkeeper acme-dns register`.
 *
 * @throws CertkeeperError DNS_PROVIDER_FAILED when the server refuses (`invalid_allowfrom_cidr`) or fails.
 */
export async function registerAccount(
  apiUrl: string,
  options: { allowFrom?: readonly string[]; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<AcmeDnsAccount> {
  // Not retried: a request that timed out may have created an account; a second would only leave one unused.
  const api = createApi(apiUrl, {
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetryWaitMs: 5000,
    attempts: 1,
  });
  const { body } = await api.request<Partial<AcmeDnsAccount>>({
    method: 'POST',
    path: 'register',
    ...(options.allowFrom?.length ? { body: { allowfrom: options.allowFrom } } : {}),
    operation: `register an account at ${new URL(apiUrl).origin}`,
    signal: options.signal,
  });
  const { username, password, fulldomain, subdomain } = body ?? {};
  if (
    ![username, password, fulldomain, subdomain].every((field) => typeof field === 'string' && field !== '')
  )
    throw providerFailed(
      PROVIDER_NAME,
      'register an account',
      'the answer lacks username, password, fulldomain or subdomain',
      {
        retryable: false,
      },
    );
  // Known from now on: whatever prints the new account (the register command, an error) prints no password.
  processSecretRedactor().register(password);
  return {
    username: username!,
    password: password!,
    fulldomain: fulldomain!.toLowerCase().replace(/\.$/, ''),
    subdomain: subdomain!,
    allowfrom: Array.isArray(body?.allowfrom) ? body.allowfrom : [],
  };
}
