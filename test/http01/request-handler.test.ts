import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createHttp01Handler,
  Http01ChallengeRegistry,
  http01Fastify,
  RegistryHttp01Solver,
} from '@certkeeper/http01';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHALLENGE_PATH, challengeTask, httpRequest } from './helpers.js';

let registry: Http01ChallengeRegistry;
let solver: RegistryHttp01Solver;
const closers: (() => Promise<unknown>)[] = [];

beforeEach(() => {
  registry = new Http01ChallengeRegistry();
  solver = new RegistryHttp01Solver(registry);
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

async function listenFastify(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  return (app.server.address() as AddressInfo).port;
}

/** What every mode must do: serve the order's responses, 404 the rest, leave the app's routes alone. */
async function expectChallengeBehaviour(port: number): Promise<void> {
  const tasks = [challengeTask('a.example.test'), challengeTask('b.example.test')];
  const receipts = await solver.publish(tasks, {});
  for (const task of tasks) {
    const response = await httpRequest(port, `${CHALLENGE_PATH}${task.token}`);
    expect(response.status).toBe(200);
    expect(response.body).toBe(task.keyAuthorization);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    const head = await httpRequest(port, `${CHALLENGE_PATH}${task.token}`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
  }
  expect((await httpRequest(port, `${CHALLENGE_PATH}${challengeTask().token}`)).status).toBe(404);
  expect((await httpRequest(port, `${CHALLENGE_PATH}..%2F..%2Fpackage.json`)).status).toBe(404);

  const app = await httpRequest(port, '/hello');
  expect([app.status, app.body]).toEqual([200, 'app says hello']);

  await solver.cleanup(receipts, {});
  expect((await httpRequest(port, `${CHALLENGE_PATH}${tasks[0]!.token}`)).status).toBe(404);
}

describe('createHttp01Handler', () => {
  it('serves challenges from a node:http server and returns false for the application', async () => {
    const handle = createHttp01Handler(registry);
    const handled: boolean[] = [];
    const port = await listen(
      createServer((req, res) => {
        const answered = handle(req, res);
        handled.push(answered);
        if (answered) return;
        res.writeHead(req.url === '/hello' ? 200 : 404).end(req.url === '/hello' ? 'app says hello' : '');
      }),
    );
    await expectChallengeBehaviour(port);
    expect(handled).toContain(false);
    expect(handled).toContain(true);
  });

  it('works as Express middleware at the root', async () => {
    const app = express();
    app.use(createHttp01Handler(registry));
    app.get('/hello', (_req, res) => {
      res.send('app says hello');
    });
    await expectChallengeBehaviour(await listen(createServer(app)));
  });

  it('works as Express middleware mounted on the challenge path', async () => {
    const app = express();
    app.use('/.well-known/acme-challenge', createHttp01Handler(registry));
    app.get('/hello', (_req, res) => {
      res.send('app says hello');
    });
    await expectChallengeBehaviour(await listen(createServer(app)));
  });
});

describe('http01Fastify', () => {
  it('serves challenges through the Fastify plugin', async () => {
    const app = Fastify();
    await app.register(http01Fastify, { registry });
    app.get('/hello', async () => 'app says hello');
    await expectChallengeBehaviour(await listenFastify(app));
  });

  it('registers at the root even when registered under a prefix', async () => {
    const app = Fastify();
    await app.register(http01Fastify, { registry, prefix: '/api' });
    app.get('/hello', async () => 'app says hello');
    await expectChallengeBehaviour(await listenFastify(app));
  });
});
