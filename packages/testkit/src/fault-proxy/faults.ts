import type { IncomingHttpHeaders } from 'node:http';
import type { DecodedJws } from './jws.js';
import type { ResourceKind } from './resource-kind.js';

/** A request as the proxy received it, handed to rules and custom handlers. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly path: string;
  /** Absolute URL on the proxy (what the client signed as the JWS `url`). */
  readonly url: string;
  readonly kind: ResourceKind;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The decoded JWS, for POSTs that carry one. */
  readonly jws?: DecodedJws;
}

/** A response a custom handler returns. An object `body` is sent as JSON. */
export interface ProxiedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Buffer | object;
}

/** What the target answered, after URL rewriting. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** The body parsed as JSON; throws when it is not JSON. */
  json<T = unknown>(): T;
}

/** Tools a custom handler can use besides the request. */
export interface FaultContext {
  /** Sends this request to the target and returns its (rewritten) answer, e.g. to edit the directory. */
  forward(): Promise<UpstreamResponse>;
  /** A nonce freshly issued by the target (HEAD newNonce), for a made-up response to a POST. */
  freshNonce(): Promise<string>;
  /** The proxy's origin, e.g. `https://127.0.0.1:40999`, to build URLs the client will follow. */
  readonly proxyUrl: string;
}

export type FaultHandler = (
  request: ProxiedRequest,
  context: FaultContext,
) => ProxiedResponse | Promise<ProxiedResponse>;

/** An RFC 7807 / RFC 8555 §6.7 problem document. */
export interface AcmeProblemDocument {
  readonly type: string;
  readonly detail?: string;
  readonly status?: number;
  readonly [extra: string]: unknown;
}

export type FaultAction =
  | {
      readonly type: 'problem';
      readonly status: number;
      readonly problem: AcmeProblemDocument;
      /** `Retry-After`: seconds, or a time sent as an HTTP-date. */
      readonly retryAfter?: number | Date;
      readonly headers?: Readonly<Record<string, string>>;
      /**
       * Attach a `Replay-Nonce` freshly issued by the target, so the client can continue (RFC 8555 §6.5 wants a
       * nonce on error responses too). Default: on for POST requests.
       */
      readonly nonce?: boolean;
    }
  /** Drop the connection (TCP RST where possible) without answering. */
  | { readonly type: 'reset' }
  /** Wait, then forward the request to the target as usual. */
  | { readonly type: 'delay'; readonly ms: number }
  | { readonly type: 'respond'; readonly handler: FaultHandler }
  /**
   * Answer with status and headers, then a body written chunk by chunk for as long as `chunks` yields and the client
   * listens (backpressure respected): an endless body, a trickle. `signal` fires when the client goes away.
   */
  | {
      readonly type: 'stream';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly chunks: (signal: AbortSignal) => AsyncIterable<Buffer | string>;
    };

const acmeError = (name: string) => (name.includes(':') ? name : `urn:ietf:params:acme:error:${name}`);

/** Ready-made actions for {@link FaultProxy.addRule}. */
export const faults = {
  /** 400 `badNonce` with a fresh nonce: the client must re-sign with the new nonce and retry. */
  badNonce(detail = 'JWS has an invalid anti-replay nonce (injected by the fault proxy)'): FaultAction {
    return { type: 'problem', status: 400, problem: { type: acmeError('badNonce'), detail, status: 400 } };
  },
  /** 429 `rateLimited` with `Retry-After` (seconds or a date), the way Let's Encrypt reports a hit limit. */
  rateLimited(options: { retryAfter: number | Date; detail?: string }): FaultAction {
    const when =
      options.retryAfter instanceof Date ? options.retryAfter.toISOString() : `${options.retryAfter}s`;
    const detail =
      options.detail ?? `too many new orders recently: retry after ${when} (injected by the fault proxy)`;
    return {
      type: 'problem',
      status: 429,
      problem: { type: acmeError('rateLimited'), detail, status: 429 },
      retryAfter: options.retryAfter,
    };
  },
  /** 503 with `Retry-After`: what Let's Encrypt answers when an endpoint's request rate is exceeded. */
  serviceUnavailable(options: { retryAfter?: number | Date; detail?: string } = {}): FaultAction {
    const detail = options.detail ?? 'service busy, retry later (injected by the fault proxy)';
    return {
      type: 'problem',
      status: 503,
      problem: { type: acmeError('serverInternal'), detail, status: 503 },
      ...(options.retryAfter !== undefined ? { retryAfter: options.retryAfter } : {}),
    };
  },
  /** Any problem: `type` may be a short ACME name (`'alreadyReplaced'`) or a full URN. */
  problem(
    status: number,
    type: string,
    detail: string,
    options: { retryAfter?: number | Date; extra?: Record<string, unknown>; nonce?: boolean } = {},
  ): FaultAction {
    return {
      type: 'problem',
      status,
      problem: { ...options.extra, type: acmeError(type), detail, status },
      ...(options.retryAfter !== undefined ? { retryAfter: options.retryAfter } : {}),
      ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
    };
  },
  reset(): FaultAction {
    return { type: 'reset' };
  },
  delay(ms: number): FaultAction {
    return { type: 'delay', ms };
  },
  respond(handler: FaultHandler): FaultAction {
    return { type: 'respond', handler };
  },
  /** A body that never ends: `chunk` (default 16 KiB of spaces inside a JSON-looking start) as fast as it is read. */
  endlessBody(options: { status?: number; contentType?: string; chunkBytes?: number } = {}): FaultAction {
    const chunk = Buffer.alloc(options.chunkBytes ?? 16 * 1024, 0x20);
    return {
      type: 'stream',
      status: options.status ?? 200,
      headers: { 'content-type': options.contentType ?? 'application/json' },
      async *chunks(signal) {
        yield '{"endless": "';
        while (!signal.aborted) yield chunk;
      },
    };
  },
  /** The answer's first byte at once, then one more byte every `intervalMs`, forever: no idle timeout ever fires. */
  trickle(options: { intervalMs: number; status?: number; contentType?: string }): FaultAction {
    return {
      type: 'stream',
      status: options.status ?? 200,
      headers: { 'content-type': options.contentType ?? 'application/json' },
      async *chunks(signal) {
        yield '{';
        while (!signal.aborted) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.intervalMs);
            const stop = () => {
              clearTimeout(timer);
              resolve();
            };
            signal.addEventListener('abort', stop, { once: true });
          });
          if (!signal.aborted) yield ' ';
        }
      },
    };
  },
  /** A redirect (default 302) to `location`, which ACME clients must never follow. */
  redirect(location: string, status = 302): FaultAction {
    return { type: 'respond', handler: () => ({ status, headers: { location } }) };
  },
} as const;
