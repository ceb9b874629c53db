import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FaultAction, ProxiedResponse, UpstreamResponse } from './faults.js';
import { forwardableHeaders, type RawResponse } from './upstream.js';

type ProblemAction = Extract<FaultAction, { type: 'problem' }>;

/** An injected ACME problem response; `nonce` is the fresh Replay-Nonce to attach, if any. */
export function problemResponse(
  action: ProblemAction,
  nonce: string | undefined,
  directoryUrl: string,
): RawResponse {
  const headers: IncomingHttpHeaders = {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
    link: `<${directoryUrl}>;rel="index"`,
    ...action.headers,
  };
  if (action.retryAfter !== undefined) {
    headers['retry-after'] =
      action.retryAfter instanceof Date
        ? action.retryAfter.toUTCString()
        : String(Math.max(0, Math.round(action.retryAfter)));
  }
  if (nonce !== undefined) headers['replay-nonce'] = nonce;
  return { status: action.status, headers, body: Buffer.from(JSON.stringify(action.problem, null, 2)) };
}

/** A custom handler's answer as raw bytes; an object body becomes JSON. */
export function fromHandler(response: ProxiedResponse): RawResponse {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    headers[name.toLowerCase()] = typeof value === 'string' ? value : [...value];
  }
  const { body } = response;
  if (body === undefined) return { status: response.status, headers, body: Buffer.alloc(0) };
  if (typeof body === 'string' || Buffer.isBuffer(body))
    return { status: response.status, headers, body: Buffer.from(body) };
  headers['content-type'] ??= 'application/json';
  return { status: response.status, headers, body: Buffer.from(JSON.stringify(body, null, 2)) };
}

export function toUpstreamResponse(raw: RawResponse): UpstreamResponse {
  return { ...raw, json: <T>() => JSON.parse(raw.body.toString('utf8')) as T };
}

/** The body as JSON when it is JSON, else undefined. */
export function jsonBody(raw: RawResponse): unknown {
  if (!/json/i.test(String(raw.headers['content-type'] ?? ''))) return undefined;
  try {
    return JSON.parse(raw.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function send(res: ServerResponse, raw: RawResponse): void {
  res.statusCode = raw.status;
  for (const [name, value] of Object.entries(forwardableHeaders(raw.headers))) {
    if (value !== undefined) res.setHeader(name, value);
  }
  res.setHeader('content-length', raw.body.length);
  res.end(raw.body);
}

/**
 * Drops the client's connection without an answer. A plain TCP socket gets an RST; a TLS socket cannot be reset
 * from JavaScript, so it is destroyed, which the client sees the same way: the connection closed mid-request.
 */
export function resetConnection(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
