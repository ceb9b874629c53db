import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';
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

// Node's http and https modules through process.getBuiltinModule, not an ES import: importing it as an ES module reads every
// export, and its lazy WebSocket/EventSource getters load Node's internal undici (~7 MB of RSS, ~10 ms), unused.
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

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
  /**
   * Agents of your own (a proxy agent, a mock) for http: and https: URLs; `caBundle` and the connect timeout are then
   * the agent's business.
   */
  readonly agents?: { readonly http?: HttpAgent; readonly https?: HttpsAgent };
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
 * The HTTP layer under the ACME transport: one keep-alive agent per client (Node's own http/https, whose parser is
 * native: the undici package cost a one-certificate process ~25 MB of its ~120 MB peak RSS, issue 13), a
 * User-Agent naming certkeeper, an optional CA bundle, and bounds on every answer: a connect timeout, an idle
 * timeout, a total deadline per request, a body cap per resource read as a stream, and no redirects. Network
 * failures become {@link NetworkError}; a broken bound becomes {@link RequestDeadlineError},
 * {@link ResponseTooLargeError} or {@link RedirectRefusedError}.
 */
export class HttpClient {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;
  private readonly ownedAgents: readonly HttpAgent[];
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  readonly userAgent: string;
  readonly deadlineMs: number;

  constructor(options: HttpClientOptions = {}) {
    this.userAgent = options.userAgent ?? defaultUserAgent;
    this.deadlineMs = options.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS;
    this.idleTimeoutMs = options.requestTimeoutMs ?? this.deadlineMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const ca = options.caBundle === undefined ? undefined : ([] as string[]).concat(options.caBundle);
    const keepAlive = { keepAlive: true, keepAliveMsecs: 30_000 };
    this.http = options.agents?.http ?? new http.Agent(keepAlive);
    this.https = options.agents?.https ?? new https.Agent({ ...keepAlive, ...(ca ? { ca } : {}) });
    this.ownedAgents = [
      ...(options.agents?.http ? [] : [this.http]),
      ...(options.agents?.https ? [] : [this.https]),
    ];
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const deadline = new RequestDeadline(this.deadlineMs, req.signal);
    const progress: ReadProgress = { bytes: 0 };
    try {
      const response = await this.exchange(req, deadline.signal);
      const status = response.statusCode ?? 0;
      const headers = distinctHeaders(response);
      if (status >= 300 && status < 400) {
        response.destroy();
        throw new RedirectRefusedError(req.method, req.url, status, headerValue(headers, 'location'));
      }
      const limit = bodyLimitFor(req.resource, status);
      const declared = Number(headerValue(headers, 'content-length'));
      if (declared > limit.bytes) {
        response.destroy();
        throw this.tooLarge(req, limit, 0, declared);
      }
      const body = await readCappedBody(response, limit.bytes, progress).catch((error: unknown) => {
        throw error instanceof BodyLimitExceeded ? this.tooLarge(req, limit, error.bytesRead) : error;
      });
      return { status, headers, body };
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

  /** Sends the request; resolves at the response headers. The connect and idle timeouts destroy the request. */
  private exchange(req: HttpRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const secure = req.url.startsWith('https:');
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    return new Promise((resolve, reject) => {
      const outgoing = (secure ? https.request : http.request)(req.url, {
        method: req.method,
        agent: secure ? this.https : this.http,
        headers: {
          'user-agent': this.userAgent,
          ...req.headers,
          ...(body ? { 'content-length': String(body.byteLength) } : {}),
        },
        signal,
        timeout: this.idleTimeoutMs,
      });
      outgoing.once('response', resolve);
      // `on`, not `once`: an error after the response (a reset mid-body) reaches the body's reader, and must
      // not be an unhandled 'error' event here.
      outgoing.on('error', reject);
      outgoing.once('timeout', () =>
        outgoing.destroy(timeoutError('IDLE_TIMEOUT', `no data for ${this.idleTimeoutMs} ms`)),
      );
      outgoing.once('socket', (socket) => {
        // A kept-alive socket is connected already; a new TCP one may be too (loopback) by the time we hear of
        // it. For https, connected means the TLS handshake is done: a server that accepts TCP and then stalls
        // is as unreachable as one that never answers.
        if (outgoing.reusedSocket || (!secure && !socket.connecting)) return;
        const timer = setTimeout(
          () =>
            outgoing.destroy(timeoutError('CONNECT_TIMEOUT', `no connection in ${this.connectTimeoutMs} ms`)),
          this.connectTimeoutMs,
        );
        const connected = () => clearTimeout(timer);
        socket.once(secure ? 'secureConnect' : 'connect', connected);
        socket.once('close', connected);
        outgoing.once('response', connected);
      });
      outgoing.end(body);
    });
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
    for (const agent of this.ownedAgents) agent.destroy();
  }
}

/** Repeated headers (Link) keep every value, as an array; a header sent once is a string. */
function distinctHeaders(response: IncomingMessage): HttpResponse['headers'] {
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(response.headersDistinct))
    if (values) headers[name] = values.length === 1 ? values[0]! : values;
  return headers;
}

/** A timeout of ours, coded like Node's own network errors so NetworkError's message names it. */
function timeoutError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
