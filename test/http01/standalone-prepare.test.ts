// The standalone responder's `prepare` (bind for an order about to be placed) and its port lock (the runs sharing a
// store take turns on the port): a real port, a real competing listener.
import { createServer } from 'node:net';
import { ErrorCodes } from '@certkeeper/core';
import { Http01ListenError, StandaloneHttp01Solver } from '@certkeeper/http01';
import { afterEach, describe, expect, it } from 'vitest';
import { CHALLENGE_PATH, challengeTask, httpRequest } from './helpers.js';

const solvers: StandaloneHttp01Solver[] = [];
afterEach(async () => {
  await Promise.all(solvers.splice(0).map((solver) => solver.stop()));
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A lock like the CLI's store lease: one holder at a time, the others wait; the log says who held it when. */
function sharedLock() {
  const log: string[] = [];
  let tail = Promise.resolve();
  let holders = 0;
  const lock = (who: string) => async () => {
    const previous = tail;
    let unlock!: () => void;
    tail = new Promise((resolve) => (unlock = resolve));
    await previous;
    holders++;
    log.push(`${who} locked (${holders} holding)`);
    return async () => {
      holders--;
      log.push(`${who} unlocked`);
      unlock();
    };
  };
  return { log, lock };
}

function solver(port: number, options: ConstructorParameters<typeof StandaloneHttp01Solver>[0] = {}) {
  const created = new StandaloneHttp01Solver({ host: '127.0.0.1', port, stopWhenIdle: true, ...options });
  solvers.push(created);
  return created;
}

describe('StandaloneHttp01Solver.prepare', () => {
  it('binds before anything is published, keeps the port through cleanup, and stops when released', async () => {
    const port = await freePort();
    const http01 = solver(port);
    const release = await http01.prepare();
    expect((await httpRequest(port, `${CHALLENGE_PATH}unknown`)).status).toBe(404);
    const task = challengeTask();
    const receipts = await http01.publish([task], {});
    await http01.cleanup(receipts, {});
    // Still prepared: the order may publish again (a resumed authorization), so the port stays bound.
    expect((await httpRequest(port, `${CHALLENGE_PATH}unknown`)).status).toBe(404);
    await release();
    await release(); // idempotent
    const error = await httpRequest(port, `${CHALLENGE_PATH}unknown`).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('two responders sharing a port lock take turns instead of failing with EADDRINUSE', async () => {
    const port = await freePort();
    const { log, lock } = sharedLock();
    const first = solver(port, { portLock: lock('first') });
    const second = solver(port, { portLock: lock('second') });
    const releaseFirst = await first.prepare();
    const secondReady = second.prepare();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).toEqual(['first locked (1 holding)']);
    await releaseFirst();
    const releaseSecond = await secondReady;
    expect((await httpRequest(port, `${CHALLENGE_PATH}unknown`)).status).toBe(404);
    await releaseSecond();
    expect(log).toEqual([
      'first locked (1 holding)',
      'first unlocked',
      'second locked (1 holding)',
      'second unlocked',
    ]);
  });

  it('a port busy under the lock is another program’s: the typed error names the port and the option, lock given back', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { log, lock } = sharedLock();
    try {
      const http01 = solver(port, { portLock: lock('run'), portOption: '--http-listen <host:port>' });
      const error = await http01.prepare().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Http01ListenError);
      expect(error).toMatchObject({ code: ErrorCodes.LISTEN_FAILED, reason: 'address-in-use', port });
      expect((error as Error).message.split('\n')[0]).toBe(
        `The HTTP-01 responder cannot listen on 127.0.0.1:${port}: port ${port} is held by another program, not by a certkeeper run on this store (EADDRINUSE); nothing was ordered. Stop that program, or listen on another port (--http-listen <host:port>).`,
      );
      expect(log).toEqual(['run locked (1 holding)', 'run unlocked']);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
