import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderHttpClient } from './provider-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

async function serve(handler: Handler): Promise<{ url: string; hits: () => number; auth: string[] }> {
  let hits = 0;
  const auth: string[] = [];
  const server = createServer((req, res) => {
    hits += 1;
    auth.push(req.headers.authorization ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, hits: () => hits, auth };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function client(url: string, extra: Partial<ConstructorParameters<typeof ProviderHttpClient>[0]> = {}) {
  return new ProviderHttpClient({
    provider: 'sample',
    baseUrl: url,
    headers: { authorization: 'Bearer very-secret-token' },
    retry: { baseDelayMs: 1 },
    describeError: (body) => (body as { detail?: string } | undefined)?.detail,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<CertkeeperError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!CertkeeperError.isInstance(error)) throw new Error(`expected a CertkeeperError, got ${String(error)}`);
  return error;
}

describe('ProviderHttpClient', () => {
  it('sends JSON with the configured headers, resolves paths below the base, and hands back accepted statuses', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/api/zones/x?page=2') json(res, 200, { ok: true });
      else json(res, 404, { detail: 'Not found.' });
    });
    const http = client(server.url);
    const ok = await http.request({ method: 'GET', path: 'zones/x', query: { page: 2 }, operation: 'read' });
    expect(ok.body).toEqual({ ok: true });
    const absent = await http.request({ method: 'GET', path: 'nope', operation: 'read', accept: [404] });
    expect([absent.status, absent.body]).toEqual([404, { detail: 'Not found.' }]);
    expect(server.auth).toEqual(['Bearer very-secret-token', 'Bearer very-secret-token']);
  });

  it('requireZone answers the zone, or DNS_ZONE_NOT_FOUND when the service has no such zone', async () => {
    const server = await serve((req, res) =>
      req.url === '/api/zones/example.test' ? json(res, 200, { name: 'example.test' }) : json(res, 404, {}),
    );
    const http = client(server.url);
    expect(await http.requireZone('zones/example.test', 'example.test')).toEqual({ name: 'example.test' });
    const absent = await failure(http.requireZone('zones/other.test', 'other.test'));
    expect([absent.code, absent.message.includes('"other.test"')]).toEqual([
      ErrorCodes.DNS_ZONE_NOT_FOUND,
      true,
    ]);
  });

  it('maps 401/403 to DNS_PROVIDER_UNAUTHORIZED quoting the service, never the credentials, without retrying', async () => {
    const server = await serve((_req, res) => json(res, 401, { detail: 'Invalid token.' }));
    const error = await failure(
      client(server.url).request({ method: 'GET', path: 'x', operation: 'read', zone: 'z.test' }),
    );
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(error.message).toContain('HTTP 401: Invalid token.');
    expect(`${error.message} ${error.hint}`).not.toContain('very-secret-token');
    expect(server.hits()).toBe(1);
  });

  it('retries a 429 with a short Retry-After and a 5xx, then succeeds', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) json(res, 429, { detail: 'throttled' }, { 'retry-after': '0' });
      else if (calls === 2) json(res, 503, { detail: 'down' });
      else json(res, 200, {});
    });
    await client(server.url).request({ method: 'POST', path: 'x', body: {}, operation: 'write' });
    expect(server.hits()).toBe(3);
  });

  it('does not repeat a non-idempotent call after a 5xx, only after a refusal with a retry time', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls += 1;
      if (calls === 2) json(res, 429, {}, { 'retry-after': '0' });
      else json(res, 502, { detail: 'bad gateway' });
    });
    const http = client(server.url);
    const error = await failure(
      http.request({ method: 'POST', path: 'x', body: {}, operation: 'create', idempotent: false }),
    );
    expect([error.retryable, server.hits()]).toEqual([true, 1]);
    calls = 1; // the next answer is a 429, then a 502
    await failure(
      http.request({ method: 'POST', path: 'x', body: {}, operation: 'create', idempotent: false }),
    );
    expect(server.hits()).toBe(3); // the refusal was retried once, the 502 was not
  });

  it('gives a long Retry-After, or the service reset header, to the caller at once as a retryable error', async () => {
    const server = await serve((req, res) =>
      req.url === '/api/reset'
        ? json(res, 429, {}, { 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 600) })
        : json(res, 429, { detail: 'Request was throttled.' }, { 'retry-after': '120' }),
    );
    const http = client(server.url, {
      rateLimitResetOf: (headers) => new Date(Number(headers['ratelimit-reset']) * 1000),
    });
    const started = Date.now();
    const error = await failure(http.request({ method: 'GET', path: 'x', operation: 'read' }));
    expect([error.code, error.retryable, server.hits()]).toEqual([ErrorCodes.DNS_PROVIDER_FAILED, true, 1]);
    expect(error.retryAfter!.getTime() - started).toBeGreaterThan(100_000);
    const reset = await failure(http.request({ method: 'GET', path: 'reset', operation: 'read' }));
    expect(reset.retryAfter!.getTime() - started).toBeGreaterThan(500_000);
  });

  it('refuses an answer over the size cap, a body that is not JSON, and a link to another origin', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/api/big') json(res, 200, { data: 'x'.repeat(5000) });
      else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>');
      }
    });
    const http = client(server.url, { maxResponseBytes: 1000 });
    const big = await failure(http.request({ method: 'GET', path: 'big', operation: 'read' }));
    expect([big.retryable, big.message.includes('larger than 1000 bytes')]).toEqual([false, true]);
    const html = await failure(http.request({ method: 'GET', path: 'html', operation: 'read' }));
    expect(html.message).toContain('not JSON');
    const away = await failure(
      http.request({ method: 'GET', path: 'http://192.0.2.1/x', operation: 'page' }),
    );
    expect(away.message).toContain('leaves http://127.0.0.1');
  });

  it('times out a silent server with a retryable error naming the limit', async () => {
    const server = await serve(() => undefined);
    const error = await failure(
      client(server.url, { timeoutMs: 100, retry: { attempts: 1 } }).request({
        method: 'GET',
        path: 'x',
        operation: 'read',
      }),
    );
    expect([error.retryable, error.message.includes('no answer within 100 ms')]).toEqual([true, true]);
  });
});
