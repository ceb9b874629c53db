import { createRequire } from 'node:module';
import { Agent, type Dispatcher, request } from 'undici';
import { NetworkError } from '../errors/transport-errors.js';

const packageJson = createRequire(import.meta.url)('../../package.json') as { version: string };

/** `certkeeper/<version> node/<version>`, as RFC 8555 §6.1 asks clients to identify themselves. */
export const defaultUserAgent = `certkeeper/${packageJson.version} node/${process.versions.node}`;

export interface HttpClientOptions {
  /** PEM CA certificates to trust instead of the system roots (a private CA, Pebble). */
  readonly caBundle?: string | readonly string[];
  readonly userAgent?: string;
  /** Connect timeout in ms (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Time to wait for response headers, and between body chunks, in ms (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Supply a dispatcher of your own (a proxy agent, a mock); `caBundle` and timeouts are then ignored. */
  readonly dispatcher?: Dispatcher;
}

export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased header names; repeated headers (Link) keep every value. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * The HTTP layer under the ACME transport: one keep-alive undici Agent per client, a User-Agent naming
 * certkeeper, bounded timeouts, and an optional CA bundle. Network failures become {@link NetworkError}.
 */
export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  readonly userAgent: string;

  constructor(options: HttpClientOptions = {}) {
    this.userAgent = options.userAgent ?? defaultUserAgent;
    this.ownsDispatcher = options.dispatcher === undefined;
    const timeout = options.requestTimeoutMs ?? 30_000;
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
    try {
      const response = await request(req.url, {
        method: req.method,
        headers: { 'user-agent': this.userAgent, ...req.headers },
        body: req.body,
        dispatcher: this.dispatcher,
        signal: req.signal,
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason ?? error;
      throw new NetworkError(req.method, req.url, error);
    }
  }

  /** Close idle keep-alive connections so a short-lived process can exit promptly. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
