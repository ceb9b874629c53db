import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { closeServer, listenOnLoopback } from './loopback-server.js';

/** An answer in the service's own error envelope, with its real status (and headers such as Retry-After). */
export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`HTTP ${status} ${JSON.stringify(body)}`);
  }
}

export interface FakeApiRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body (a form body as an object of its fields); undefined when empty. */
  readonly body: unknown;
  /** The body exactly as sent (for services that sign it). */
  readonly rawBody: string;
  /** The request target exactly as sent: path and query (for services that sign it). */
  readonly url: string;
}

export interface FakeApiAnswer {
  /** Default 200. */
  readonly status?: number;
  /** Sent as JSON; nothing for undefined. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One operation of the service: matched by the fake's router, answered after authentication and body checks. */
export interface FakeApiRoute<Operation extends string> {
  readonly operation: Operation;
  handle(request: FakeApiRequest): FakeApiAnswer;
}

export interface JsonApiFakeOptions<Operation extends string> {
  /** For messages: `"deSEC API"`. */
  readonly name: string;
  /** The route for a request, or undefined for a path the service does not have. */
  route(request: FakeApiRequest): FakeApiRoute<Operation> | undefined;
  /**
   * Throws a {@link FakeApiError} shaped like the service's answer when the credentials are missing, wrong or
   * lack the permission the operation needs (undefined for an unknown path). Services check credentials first.
   */
  authenticate(request: FakeApiRequest, operation: Operation | undefined): void;
  /** The service's answer for a path it does not have. */
  notFound(request: FakeApiRequest): FakeApiError;
  /** The service's answer for a body that is not JSON. */
  badJson(request: FakeApiRequest): FakeApiError;
  /** The service's answer when the fake itself fails (a bug in a route): its 500 envelope. */
  serverError(message: string): FakeApiError;
  /** Delay before each answer, so concurrent clients interleave. */
  readonly latencyMs?: number;
  /** Serve HTTPS with this certificate (`createTestTls`): for SDKs that refuse bearer tokens over plain HTTP. */
  readonly tls?: { readonly certificatePem: string; readonly privateKeyPem: string };
}

export interface FakeApiLogEntry<Operation extends string> {
  readonly operation: Operation | 'unknown';
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly status: number;
}

export interface InjectedFakeError<Operation extends string> {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Only requests of this operation; default any. */
  readonly operation?: Operation;
  /** Default 1. */
  readonly times?: number;
}

/** The HTTP side every JSON API fake shares: listening, routing, request log, injected errors, latency. */
export interface JsonApiFake<Operation extends string> {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`). */
  readonly origin: string;
  readonly requests: readonly FakeApiLogEntry<Operation>[];
  count(operation: Operation): number;
  resetRequests(): void;
  /** Answers the next matching requests (after authentication) with this error instead. */
  inject(error: InjectedFakeError<Operation>): void;
  stop(): Promise<void>;
}

/**
 * Starts a JSON API fake on 127.0.0.1: each request is authenticated, routed to an operation, answered by it or by
 * an injected error, and logged. A fake of one service (deSEC, Hetzner, ...) supplies the routes, its
 * authentication and its error envelopes; its store and its DNS mirror stay its own.
 */
export async function startJsonApiFake<Operation extends string>(
  options: JsonApiFakeOptions<Operation>,
): Promise<JsonApiFake<Operation>> {
  const requests: FakeApiLogEntry<Operation>[] = [];
  const injected: { error: InjectedFakeError<Operation>; remaining: number }[] = [];

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void serve(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.certificatePem, key: options.tls.privateKeyPem }, listener)
    : createServer(listener);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = Buffer.concat(chunks).toString('utf8');
    let operation: Operation | 'unknown' = 'unknown';
    let answer: FakeApiAnswer;
    let body: unknown;
    let malformed = false;
    try {
      // OAuth 2 token endpoints take forms (RFC 6749 §4); routes see them as a plain object like a JSON body.
      const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      body =
        text.trim() === ''
          ? undefined
          : form
            ? Object.fromEntries(new URLSearchParams(text))
            : JSON.parse(text);
    } catch {
      malformed = true;
    }
    const request: FakeApiRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      rawBody: text,
      url: req.url ?? '/',
    };
    try {
      const route = options.route(request);
      options.authenticate(request, route?.operation);
      if (!route) throw options.notFound(request);
      if (malformed) throw options.badJson(request);
      operation = route.operation;
      const rule = injected.find(
        (candidate) =>
          candidate.remaining > 0 && (candidate.error.operation ?? route.operation) === route.operation,
      );
      if (rule) {
        rule.remaining -= 1;
        throw new FakeApiError(rule.error.status, rule.error.body, rule.error.headers);
      }
      answer = route.handle(request);
    } catch (error) {
      const fault = error instanceof FakeApiError ? error : options.serverError(String(error));
      answer = { status: fault.status, body: fault.body, headers: fault.headers };
    }
    const status = answer.status ?? 200;
    requests.push({ operation, method: request.method, url: req.url ?? '', status });
    const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(status, {
      ...(payload ? { 'content-type': 'application/json' } : {}),
      ...answer.headers,
    });
    res.end(payload);
  }

  const port = await listenOnLoopback(server, options.name);
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    count: (operation) => requests.filter((entry) => entry.operation === operation).length,
    resetRequests() {
      requests.length = 0;
    },
    inject(error) {
      injected.push({ error, remaining: error.times ?? 1 });
    },
    stop: () => closeServer(server),
  };
}

/** The credential after `scheme` in the Authorization header (`Bearer`, `Token`), or undefined. */
export function authorizationOf(request: FakeApiRequest, scheme: string): string | undefined {
  const header = request.headers.authorization ?? '';
  const match = new RegExp(`^${scheme} (.+)$`, 'i').exec(header);
  return match?.[1];
}
