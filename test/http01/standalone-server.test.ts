import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type CertkeeperError, ErrorCodes } from '@certkeeper/core';
import {
  Http01ChallengeRegistry,
  Http01ListenError,
  type Http01Server,
  startHttp01Server,
} from '@certkeeper/http01';
import { afterEach, describe, expect, it } from 'vitest';
import { CHALLENGE_PATH, challengeTask, httpRequest } from './helpers.js';

const running: Http01Server[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function start(registry = new Http01ChallengeRegistry(), stopGraceMs?: number): Promise<Http01Server> {
  const server = await startHttp01Server({ host: '127.0.0.1', port: 0, registry, stopGraceMs });
  running.push(server);
  return server;
}

describe('startHttp01Server', () => {
  it('binds port 0 to a free port and reports it', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect((await httpRequest(server.port, '/')).status).toBe(404);
  });

  it('serves a published key authorization exactly, as application/octet-stream, uncached', async () => {
    const registry = new Http01ChallengeRegistry();
    const task = challengeTask();
    registry.set(task.token, task.keyAuthorization);
    const server = await start(registry);

    const response = await httpRequest(server.port, `${CHALLENGE_PATH}${task.token}`);
    expect(response.status).toBe(200);
    expect(response.body).toBe(task.keyAuthorization);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-length']).toBe(String(task.keyAuthorization.length));
    expect(response.headers['cache-control']).toBe('no-store');

    // The query string is not part of the resource; absolute-form targets (proxies) work too.
    expect((await httpRequest(server.port, `${CHALLENGE_PATH}${task.token}?x=1`)).body).toBe(
      task.keyAuthorization,
    );
    const absolute = await httpRequest(server.port, `http://www.example.test${CHALLENGE_PATH}${task.token}`);
    expect(absolute.body).toBe(task.keyAuthorization);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const registry = new Http01ChallengeRegistry();
    const task = challengeTask();
    registry.set(task.token, task.keyAuthorization);
    const server = await start(registry);

    const head = await httpRequest(server.port, `${CHALLENGE_PATH}${task.token}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(task.keyAuthorization.length));
    expect(head.headers['content-type']).toBe('application/octet-stream');
  });

  it('answers 404 for unknown tokens, malformed tokens and other paths, 405 for other methods', async () => {
    const registry = new Http01ChallengeRegistry();
    const task = challengeTask();
    registry.set(task.token, task.keyAuthorization);
    const server = await start(registry);
    const paths = [
      `${CHALLENGE_PATH}${challengeTask().token}`,
      CHALLENGE_PATH,
      `${CHALLENGE_PATH}..%2f..%2fetc%2fpasswd`,
      `${CHALLENGE_PATH}../../../etc/passwd`,
      `${CHALLENGE_PATH}${task.token}/extra`,
      `${CHALLENGE_PATH}${task.token}.`,
      `/.well-known/acme-challenge${task.token}`,
      `/${task.token}`,
      '/',
      '/index.html',
    ];
    for (const path of paths) {
      const response = await httpRequest(server.port, path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.body).not.toContain(task.keyAuthorization);
    }
    const post = await httpRequest(server.port, `${CHALLENGE_PATH}${task.token}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('stops at once although a keep-alive connection is open, and closes that connection', async () => {
    const registry = new Http01ChallengeRegistry();
    const task = challengeTask();
    registry.set(task.token, task.keyAuthorization);
    const server = await start(registry, 10_000);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await httpRequest(server.port, `${CHALLENGE_PATH}${task.token}`, { agent });
      expect(first.headers.connection).toBe('keep-alive');
      const sockets = Object.values(agent.freeSockets).flat() as Socket[];
      expect(sockets).toHaveLength(1);
      const closed = new Promise<void>((resolve) => sockets[0]!.once('close', () => resolve()));

      const began = performance.now();
      await server.stop();
      const stopMs = performance.now() - began;
      await closed;
      // Node's keep-alive timeout is 5 s and the grace period here is 10 s: neither may be waited for.
      expect(stopMs).toBeLessThan(1000);
      console.log(
        JSON.stringify({ figure: 'http01.stop_with_idle_keepalive_ms', value: Math.round(stopMs) }),
      );

      await expect(httpRequest(server.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      agent.destroy();
    }
  });

  it('lets a request in progress finish during stop, answered with Connection: close', async () => {
    const registry = new Http01ChallengeRegistry();
    const task = challengeTask();
    registry.set(task.token, task.keyAuthorization);
    const server = await start(registry, 5000);
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`GET ${CHALLENGE_PATH}${task.token} HTTP/1.1\r\nHost: www.example.test\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const began = performance.now();
    const stopped = server.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write('\r\n'); // the request completes while the server is stopping
    await stopped;
    await closed;
    const stopMs = performance.now() - began;
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    expect(received.endsWith(`\r\n\r\n${task.keyAuthorization}`)).toBe(true);
    expect(stopMs).toBeLessThan(1000); // finished with the request, not with the 5 s grace period
  });

  it('cuts a connection stuck in the middle of a request after the grace period', async () => {
    const server = await start(new Http01ChallengeRegistry(), 300);
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`GET ${CHALLENGE_PATH}abc HTTP/1.1\r\nHost: www.example.test\r\n`); // headers never finish
    await new Promise((resolve) => setTimeout(resolve, 50));

    const began = performance.now();
    await Promise.all([server.stop(), server.stop()]); // idempotent
    await closed;
    const stopMs = performance.now() - began;
    // A request in progress gets its grace period, then its connection is cut.
    expect(stopMs).toBeGreaterThanOrEqual(250);
    expect(stopMs).toBeLessThan(2000);
    console.log(JSON.stringify({ figure: 'http01.stop_with_partial_request_ms', value: Math.round(stopMs) }));
  });

  it('fails with a typed, retryable error when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startHttp01Server({ host: '127.0.0.1', port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Http01ListenError);
      expect(error).toMatchObject({
        code: ErrorCodes.LISTEN_FAILED,
        reason: 'address-in-use',
        host: '127.0.0.1',
        port,
        retryable: true,
      });
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      expect((error as Error).message).toContain('already in use');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('fails with a typed error when a privileged port needs privileges this process lacks', async () => {
    // Linux lets unprivileged processes bind ports from ip_unprivileged_port_start up; some container runtimes
    // set it to 0, and then no EACCES can be produced on this machine.
    const unprivilegedStart = Number(
      await readFile('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').catch(() => '1024'),
    );
    expect(
      unprivilegedStart,
      'net.ipv4.ip_unprivileged_port_start must be above 81 for this test',
    ).toBeGreaterThan(81);
    // As root, bind as user nobody in a child process; as another user, bind here directly.
    const outcome =
      process.getuid?.() === 0
        ? await listenAsNobody(81)
        : await startHttp01Server({ host: '127.0.0.1', port: 81 }).then(
            async (server) => {
              await server.stop();
              return { started: true };
            },
            (error: CertkeeperError & { reason?: string }) => ({
              code: error.code,
              reason: error.reason,
              message: error.message,
            }),
          );
    expect(outcome).toMatchObject({ code: ErrorCodes.LISTEN_FAILED, reason: 'permission-denied' });
    expect((outcome as { message: string }).message).toMatch(/below 1024 need privileges .*\(EACCES\)/);
  });

  it('refuses a port that is not a TCP port', async () => {
    await expect(startHttp01Server({ port: 70_000 })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_OPTION,
    });
  });
});

/** Runs fixtures/listen-unprivileged.ts as uid/gid 65534 and returns what it reports. */
function listenAsNobody(port: number): Promise<unknown> {
  const script = fileURLToPath(new URL('./fixtures/listen-unprivileged.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = fork(script, [String(port)], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      execArgv: ['--import', 'tsx', '--conditions', '@certkeeper/source'],
      uid: 65_534,
      gid: 65_534,
      env: { ...process.env, HOME: '/tmp' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`the unprivileged child exited (${code}) without reporting`)),
    );
  });
}
