import { createRequire } from 'node:module';
import { Agent, type Dispatcher, request } from 'undici';
import {
  RedirectRefusedError,
  RequestDeadlineError,
  ResponseTooLargeError,
} from '../errors/ca-bound-errors.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { NetworkError } from '../errors/transport-errors.js';
import { BodyLimitExceeded, type ReadProgress, readCappedBody } from './read-capped-body.js';
import { RequestDeadline } from './request-deadline.js';
import { type AcmeResource, bodyLimitFor, DEFAULT_REQUEST_DEADLINE_MS } from './response-limits.js';

// By package name (a self-reference through `exports`), not a relative path: the CLI's bundle moves this code.
const packageJson = createRequire(import.meta.url)('@certkeeper/core/package.json') as { version: string };

/** `certkeeper/<version> node/<version>`, as RFC 8555 §6.1 asks clients to identify themselves. */
export const defaultUserAgent = `certkeeper/${packageJson.version} node/${process.versions.node}`;

export interface HttpClientOptions {
  /** PEM CA certificates to trust instead of the system roots (a private CA, Pebble). */
  readonly caBundle?: string | readonly string[];
  readonly userAgent?: string;
  /** Connect timeout in ms (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Idle time allowed waiting for response headers, and between body chunks, in ms (default: the deadline). */
  readonly requestTimeoutMs?: number;
  /** Total time one request may take, connect + headers + body, in ms (default 60 s). */
  readonly requestDeadlineMs?: number;
  /** Supply a dispatcher of your own (a proxy agent, a mock); `caBundle` and timeouts are then ignored. */
  readonly dispatcher?: Dispatcher;
}

export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** What is asked for: sets the body cap (RESPONSE_BODY_LIMITS; any error status is capped as a problem). */
  readonly resource: AcmeResource;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased header names; repeated headers (Link) keep every value. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * The HTTP layer under the ACME transport: one keep-alive undici Agent per client, a User-Agent naming
 * certkeeper, an optional CA bundle, and bounds on every answer: a total deadline per request, a body cap per
 * resource read as a stream, and no redirects. Network failures become {@link NetworkError}; a broken bound
 * becomes {@link RequestDeadlineError}, {@link ResponseTooLargeError} or {@link RedirectRefusedError}.
 */
export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  readonly userAgent: string;
  readonly deadlineMs: number;

  constructor(options: HttpClientOptions = {}) {
    this.userAgent = options.userAgent ?? defaultUserAgent;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.deadlineMs = options.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS;
    const timeout = options.requestTimeoutMs ?? this.deadlineMs;
    const ca = options.caBundle === undefined ? undefined : ([] as string[]).concat(options.caBundle);
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        keepAliveTimeout: 30_000,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        connect: { timeout: options.connectTimeoutMs ?? 10_000, ...(ca ? { ca } : {}) },
      });
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const deadline = new RequestDeadline(this.deadlineMs, req.signal);
    const progress: ReadProgress = { bytes: 0 };
    try {
      const response = await request(req.url, {
        method: req.method,
        headers: { 'user-agent': this.userAgent, ...req.headers },
        body: req.body,
        dispatcher: this.dispatcher,
        signal: deadline.signal,
      });
      const status = response.statusCode;
      if (status >= 300 && status < 400) {
        discard(response.body);
        throw new RedirectRefusedError(
          req.method,
          req.url,
          status,
          headerValue(response.headers, 'location'),
        );
      }
      const limit = bodyLimitFor(req.resource, status);
      const declared = Number(headerValue(response.headers, 'content-length'));
      if (declared > limit.bytes) {
        discard(response.body);
        throw this.tooLarge(req, limit, 0, declared);
      }
      const body = await readCappedBody(response.body, limit.bytes, progress).catch((error: unknown) => {
        throw error instanceof BodyLimitExceeded ? this.tooLarge(req, limit, error.bytesRead) : error;
      });
      return { status, headers: response.headers, body };
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason ?? error;
      if (deadline.expired)
        throw new RequestDeadlineError(req.method, req.url, this.deadlineMs, progress.bytes, error);
      if (CertkeeperError.isInstance(error)) throw error;
      throw new NetworkError(req.method, req.url, error);
    } finally {
      deadline.clear();
    }
  }

  private tooLarge(
    req: HttpRequest,
    limit: ReturnType<typeof bodyLimitFor>,
    bytesRead: number,
    declaredBytes?: number,
  ): ResponseTooLargeError {
    return new ResponseTooLargeError({
      method: req.method,
      url: req.url,
      resource: limit.resource,
      limitBytes: limit.bytes,
      bytesRead,
      ...(declaredBytes !== undefined ? { declaredBytes } : {}),
    });
  }

  /** Close idle keep-alive connections so a short-lived process can exit promptly. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

/** Stop reading a body and close its connection; undici reports that as an error nobody needs to hear. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
