import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  RedirectRefusedError,
  RequestDeadlineError,
  ResponseTooLargeError,
} from '../errors/ca-bound-errors.js';
import type { NetworkError } from '../errors/transport-errors.js';
import { HttpClient } from './http-client.js';
import { RESPONSE_BODY_LIMITS } from './response-limits.js';

/** One network chunk: the most a capped read may hold past its cap. */
const CHUNK = 64 * 1024;

type Route = (req: IncomingMessage, res: ServerResponse) => void;

describe('HttpClient bounds on what a server sends', () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, Route>();
  const sent = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const route = routes.get(req.url ?? '');
      if (route) route(req, res);
      else res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    // An endless body: chunks as fast as the socket takes them, until the client goes away.
    routes.set('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      sent.set('/endless', 0);
      const pump = () => {
        while (!res.destroyed && res.write(chunk))
          sent.set('/endless', (sent.get('/endless') ?? 0) + chunk.length);
      };
      res.on('drain', pump);
      pump();
    });
    routes.set('/announced', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      res.write('{');
    });
    routes.set('/problem', (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/problem+json' });
      res.end(Buffer.alloc(RESPONSE_BODY_LIMITS.problem + 1, 0x20));
    });
    // One byte, then one more every 20 s: never idle long enough for an idle timeout.
    routes.set('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), 20_000);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
    routes.set('/silent', () => undefined);
    routes.set('/redirect', (_req, res) => {
      res.writeHead(302, { location: 'https://evil.example.test/directory' });
      res.end();
    });
  });

  afterAll(async () => {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = async <T>(promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as T;
    }
    throw new Error('the request succeeded');
  };

  it('stops reading an endless body at the resource cap: memory bounded by the cap plus one chunk', async () => {
    const http = new HttpClient();
    try {
      const error = await failure<ResponseTooLargeError>(
        http.send({ method: 'GET', url: `${base}/endless`, resource: 'directory' }),
      );
      expect(error.code).toBe('CERTKEEPER_ERR_RESPONSE_TOO_LARGE');
      expect(error.resource).toBe('directory');
      expect(error.limitBytes).toBe(64 * 1024);
      expect(error.bytesRead).toBeGreaterThan(64 * 1024);
      expect(error.bytesRead).toBeLessThanOrEqual(64 * 1024 + CHUNK);
      expect(error.message).toContain('too large for a directory');
    } finally {
      await http.close();
    }
  });

  it('refuses an announced Content-Length over the cap without reading the body', async () => {
    const http = new HttpClient();
    try {
      const error = await failure<ResponseTooLargeError>(
        http.send({ method: 'GET', url: `${base}/announced`, resource: 'renewalInfo' }),
      );
      expect(error).toMatchObject({ bytesRead: 0, declaredBytes: 10 * 1024 * 1024, limitBytes: 16 * 1024 });
    } finally {
      await http.close();
    }
  });

  it('caps any error answer as a problem document, whatever was asked for', async () => {
    const http = new HttpClient();
    try {
      const error = await failure<ResponseTooLargeError>(
        http.send({ method: 'POST', url: `${base}/problem`, body: '{}', resource: 'certificate' }),
      );
      expect(error).toMatchObject({ resource: 'problem', limitBytes: RESPONSE_BODY_LIMITS.problem });
    } finally {
      await http.close();
    }
  });

  it('ends a trickling answer at the total deadline, not an idle timeout', async () => {
    const http = new HttpClient({ requestDeadlineMs: 300 });
    try {
      const error = await failure<RequestDeadlineError>(
        http.send({ method: 'POST', url: `${base}/trickle`, body: '', resource: 'order' }),
      );
      expect(error.code).toBe('CERTKEEPER_ERR_REQUEST_DEADLINE');
      // The deadline that fired is the configured one, and only the first byte had come: the 20 s byte never did.
      expect(error).toMatchObject({ deadlineMs: 300, bytesRead: 1, method: 'POST' });
    } finally {
      await http.close();
    }
  });

  it('ends a request whose headers never come at the same deadline', async () => {
    const http = new HttpClient({ requestDeadlineMs: 300 });
    try {
      const error = await failure<RequestDeadlineError>(
        http.send({ method: 'GET', url: `${base}/silent`, resource: 'directory' }),
      );
      expect(error).toMatchObject({ code: 'CERTKEEPER_ERR_REQUEST_DEADLINE', deadlineMs: 300, bytesRead: 0 });
    } finally {
      await http.close();
    }
  });

  it("reports the caller's abort as the caller's, not as the CA's deadline", async () => {
    const http = new HttpClient({ requestDeadlineMs: 60_000 });
    const controller = new AbortController();
    try {
      const sending = http.send({
        method: 'GET',
        url: `${base}/silent`,
        resource: 'directory',
        signal: controller.signal,
      });
      controller.abort(new Error('stopped by the caller'));
      expect(((await failure<Error>(sending)) as Error).message).toBe('stopped by the caller');
    } finally {
      await http.close();
    }
  });

  it('never follows a redirect, and names the host it pointed at', async () => {
    const http = new HttpClient();
    try {
      const error = await failure<RedirectRefusedError>(
        http.send({ method: 'GET', url: `${base}/redirect`, resource: 'directory' }),
      );
      expect(error).toMatchObject({
        code: 'CERTKEEPER_ERR_REDIRECT_REFUSED',
        status: 302,
        locationHost: 'evil.example.test',
      });
      expect(error.message).toContain('host evil.example.test');
    } finally {
      await http.close();
    }
  });

  it('counts a TLS handshake that never comes as a connect timeout, not a wait for the whole deadline', async () => {
    // Accepts TCP, then never speaks: the TLS handshake stalls.
    const accepted = new Set<Socket>();
    const silent = createNetServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const http = new HttpClient({ connectTimeoutMs: 200, requestDeadlineMs: 10_000 });
    const started = performance.now();
    try {
      const { port } = silent.address() as { port: number };
      const error = await failure<NetworkError>(
        http.send({ method: 'GET', url: `https://127.0.0.1:${port}/dir`, resource: 'directory' }),
      );
      expect(error.code).toBe('CERTKEEPER_ERR_NETWORK');
      expect(error.message).toContain('CONNECT_TIMEOUT');
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await http.close();
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
