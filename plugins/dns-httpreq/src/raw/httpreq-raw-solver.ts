import {
  type DnsDiscoveryOptions,
  type PropagationCheckerOptions,
  RawDns01Solver,
  type RawReceiptData,
} from '@certkeeper/dns';
import { createApi } from '../httpreq-api.js';
import { type HttpreqOptions, resolveOptions } from '../options.js';

export interface HttpreqRawSolverOptions extends Omit<HttpreqOptions, 'list'> {
  /** How to find the authoritative servers to check (same as `Dns01Solver`'s `discovery`). */
  readonly discovery?: DnsDiscoveryOptions;
  readonly propagation?: PropagationCheckerOptions;
  /** Time limit for cleanup, independent of the caller's signal. Default 60 s. */
  readonly cleanupTimeoutMs?: number;
}

/**
 * lego's `HTTPREQ_MODE=RAW`: `POST {endpoint}/present` and `/cleanup` with `{"domain", "token", "keyAuth"}`, the
 * server computing the TXT value itself. A `RawDns01Solver` used in place of `Dns01Solver` (a DNS provider never
 * sees the token and key authorization): every task is presented first, then every authoritative server is checked
 * for the expected value.
 */
export class HttpreqRawSolver extends RawDns01Solver {
  constructor(options: HttpreqRawSolverOptions) {
    const api = createApi(resolveOptions(options));
    const call = async (
      action: 'present' | 'cleanup',
      data: RawReceiptData,
      signal: AbortSignal | undefined,
    ) => {
      await api.request({
        method: 'POST',
        path: action,
        body: { domain: data.domain, token: data.token, keyAuth: data.keyAuthorization },
        operation: `${action} the dns-01 response for ${data.domain}`,
        ignoreBody: true,
        signal,
      });
    };
    super(
      {
        name: 'httpreq RAW webhook',
        present: (data, signal) => call('present', data, signal),
        cleanup: (data, signal) => call('cleanup', data, signal),
      },
      {
        ...(options.discovery ? { discovery: options.discovery } : {}),
        ...(options.propagation ? { propagation: options.propagation } : {}),
        ...(options.cleanupTimeoutMs !== undefined ? { cleanupTimeoutMs: options.cleanupTimeoutMs } : {}),
      },
    );
  }
}
