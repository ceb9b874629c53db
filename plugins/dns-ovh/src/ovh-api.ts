/// <reference path="./node-ovh.d.ts" />
import { CertkeeperError } from '@certkeeper/core';
import { providerFailed, providerUnauthorized, withProviderRetry } from '@certkeeper/dns';
import createOvhClient, { type OvhClient, type OvhRejection } from '@ovhcloud/node-ovh';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'ovh';

export interface OvhCall {
  readonly operation: string;
  readonly zone?: string;
  /** Resolve `undefined` for a 404 instead of failing (the caller decides what absent means). */
  readonly absentOk?: boolean;
  /** False for a create: after a timeout or a 5xx it may have been applied, so it is not repeated. */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The OVHcloud API through the official SDK (`@ovhcloud/node-ovh`), which signs every request
 * (`X-Ovh-Signature: "$1$" + SHA1(secret+consumerKey+method+url+body+timestamp)`) against the server's clock
 * (`GET /auth/time` once per client). Around it: a time limit and cancellation per call (the SDK has only a
 * socket-idle timeout), brief retries of 429/5xx/network failures, and the SDK's rejections — `{ error: status |
 * errno | text, message }` — turned into the three typed provider errors.
 */
export class OvhApi {
  private readonly client: OvhClient;

  constructor(private readonly options: ResolvedOptions) {
    this.client = createOvhClient({
      appKey: options.applicationKey,
      appSecret: options.applicationSecret,
      consumerKey: options.consumerKey,
      host: options.host,
      port: options.port,
      basePath: options.basePath,
      timeout: options.timeoutMs,
    });
  }

  request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    params: Record<string, unknown>,
    call: OvhCall,
  ): Promise<T | undefined> {
    return withProviderRetry(() => this.once<T>(method, path, params, call), {
      ...(call.idempotent === false ? { onlyIfRefused: true } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    });
  }

  private async once<T>(
    method: string,
    path: string,
    params: Record<string, unknown>,
    call: OvhCall,
  ): Promise<T | undefined> {
    const signal = AbortSignal.any([
      AbortSignal.timeout(this.options.timeoutMs),
      ...(call.signal ? [call.signal] : []),
    ]);
    let stop: (() => void) | undefined;
    // The SDK cannot be cancelled: stop waiting for it (its socket idles out on its own).
    const aborted = new Promise<never>((_, reject) => {
      stop = () => reject(signal.reason);
      signal.addEventListener('abort', stop, { once: true });
    });
    try {
      signal.throwIfAborted();
      // A fresh params object: the SDK deletes keys from the one it is given.
      return (await Promise.race([this.client.requestPromised(method, path, { ...params }), aborted])) as T;
    } catch (error) {
      if (signal.aborted) {
        const cancelled = call.signal?.aborted === true;
        throw providerFailed(
          PROVIDER_NAME,
          call.operation,
          cancelled ? 'cancelled' : `no answer within ${this.options.timeoutMs} ms`,
          { retryable: !cancelled, cause: error },
        );
      }
      if (call.absentOk && statusOf(error) === 404) return undefined;
      throw this.failure(error, call);
    } finally {
      if (stop) signal.removeEventListener('abort', stop);
    }
  }

  private failure(error: unknown, call: OvhCall): CertkeeperError {
    if (CertkeeperError.isInstance(error)) return error;
    const status = statusOf(error);
    const said = (error as Partial<OvhRejection> | undefined)?.message;
    const text = typeof said === 'string' ? said : undefined;
    if (status === undefined) {
      // An errno (the SDK passes `e.errno`), or the SDK's own text ("Unable to fetch OVH API time", "Unable to
      // parse JSON reponse" for a proxy's HTML error page).
      const raw = (error as Partial<OvhRejection> | undefined)?.error ?? error;
      return providerFailed(PROVIDER_NAME, call.operation, `no usable answer from the API (${String(raw)})`, {
        retryable: true,
      });
    }
    const detail = `HTTP ${status}${text ? `: ${text}` : ''}`;
    // OVH answers a wrong application secret with 400 "Invalid signature"; unknown keys and ungranted calls with 403.
    if (status === 401 || status === 403 || (status === 400 && /invalid signature/i.test(text ?? '')))
      return providerUnauthorized(PROVIDER_NAME, call.zone, detail);
    return providerFailed(PROVIDER_NAME, call.operation, detail, {
      retryable: status === 429 || status === 408 || status >= 500,
    });
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as Partial<OvhRejection> | undefined)?.error;
  return typeof status === 'number' && status >= 100 && status < 600 ? status : undefined;
}
