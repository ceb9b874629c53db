import { createServer } from 'node:net';
import type { PublicationReceipt } from '@certkeeper/core';
import { ErrorCodes } from '@certkeeper/core';
import { Http01ListenError, StandaloneHttp01Solver } from '@certkeeper/http01';
import { afterEach, describe, expect, it } from 'vitest';
import { CHALLENGE_PATH, challengeTask, httpRequest } from './helpers.js';

const solvers: StandaloneHttp01Solver[] = [];
afterEach(async () => {
  await Promise.all(solvers.splice(0).map((solver) => solver.stop()));
});

function solver(
  options: ConstructorParameters<typeof StandaloneHttp01Solver>[0] = {},
): StandaloneHttp01Solver {
  const created = new StandaloneHttp01Solver({ host: '127.0.0.1', port: 0, ...options });
  solvers.push(created);
  return created;
}

describe('StandaloneHttp01Solver', () => {
  it('starts on the first publish and serves every task of the order', async () => {
    const http01 = solver();
    const tasks = [
      challengeTask('a.example.test'),
      challengeTask('b.example.test'),
      challengeTask('192.0.2.7'),
    ];
    const receipts = await http01.publish(tasks, {});
    const { port } = await http01.start(); // already running: the same server
    for (const task of tasks) {
      expect((await httpRequest(port, `${CHALLENGE_PATH}${task.token}`)).body).toBe(task.keyAuthorization);
    }
    expect(receipts).toEqual(
      tasks.map((task) => ({
        authorizationUrl: task.authorizationUrl,
        type: 'http-01',
        data: { token: task.token },
      })),
    );
    // Receipts survive being stored as JSON.
    expect(JSON.parse(JSON.stringify(receipts))).toEqual(receipts);
  });

  it('starts explicitly, once, however many callers ask at the same time', async () => {
    const http01 = solver();
    const [a, b] = await Promise.all([http01.start(), http01.start()]);
    expect(a).toBe(b);
    expect((await httpRequest(a.port, '/')).status).toBe(404);
  });

  it('cleans up exactly the receipts given, leaving another order untouched', async () => {
    const http01 = solver();
    const orderA = [challengeTask('a.example.test'), challengeTask('b.example.test')];
    const orderB = [challengeTask('c.example.test')];
    const receiptsA = await http01.publish(orderA, {});
    await http01.publish(orderB, {});
    const { port } = await http01.start();

    await http01.cleanup(JSON.parse(JSON.stringify(receiptsA)) as PublicationReceipt[], {});
    for (const task of orderA)
      expect((await httpRequest(port, `${CHALLENGE_PATH}${task.token}`)).status).toBe(404);
    expect((await httpRequest(port, `${CHALLENGE_PATH}${orderB[0]!.token}`)).body).toBe(
      orderB[0]!.keyAuthorization,
    );
    // Cleaning up again (after a crash, say) is not an error.
    await http01.cleanup(receiptsA, {});
  });

  it('publishes nothing when one task of the order is bad', async () => {
    const http01 = solver();
    const good = challengeTask('a.example.test');
    const wildcard = challengeTask('example.test', { wildcard: true });
    await expect(http01.publish([good, wildcard], {})).rejects.toMatchObject({
      code: ErrorCodes.SOLVER_FAILED,
    });
    expect(http01.registry.size).toBe(0);
  });

  it('refuses wildcards in supports()', () => {
    const http01 = solver();
    expect(http01.supports({ type: 'dns', value: 'example.test' }, true)).toBe(false);
    expect(http01.supports({ type: 'dns', value: 'example.test' }, false)).toBe(true);
    expect(http01.type).toBe('http-01');
  });

  it('with stopWhenIdle, stops after the last cleanup and starts again on the next publish', async () => {
    const http01 = solver({ stopWhenIdle: true });
    const first = [challengeTask()];
    const receipts = await http01.publish(first, {});
    const { port } = await http01.start();
    await http01.cleanup(receipts, {});
    await expect(httpRequest(port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const second = challengeTask();
    await http01.publish([second], {});
    const restarted = await http01.start();
    expect((await httpRequest(restarted.port, `${CHALLENGE_PATH}${second.token}`)).body).toBe(
      second.keyAuthorization,
    );
  });

  it('rejects publish with the listen error, publishes nothing, and retries the start on the next call', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const http01 = solver({ port });
    const task = challengeTask();
    const error = await http01.publish([task], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Http01ListenError);
    expect(error).toMatchObject({ code: ErrorCodes.LISTEN_FAILED, reason: 'address-in-use' });
    expect(http01.registry.size).toBe(0);

    await new Promise((resolve) => blocker.close(resolve));
    await http01.publish([task], {});
    expect((await httpRequest(port, `${CHALLENGE_PATH}${task.token}`)).body).toBe(task.keyAuthorization);
  });
});
