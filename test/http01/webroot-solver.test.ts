import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublicationReceipt } from '@certkeeper/core';
import { ErrorCodes } from '@certkeeper/core';
import { WebrootHttp01Solver } from '@certkeeper/http01';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHALLENGE_PATH, challengeTask, httpRequest } from './helpers.js';

let base: string;
let webroot: string;
let outside: string;
let savedUmask: number;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'certkeeper-webroot-'));
  webroot = join(base, 'www');
  outside = join(base, 'outside');
  await mkdir(webroot);
  await mkdir(outside);
  // Service managers often run with umask 077; the solver must still produce files the web server can read.
  savedUmask = process.umask(0o077);
});
afterEach(async () => {
  process.umask(savedUmask);
  await rm(base, { recursive: true, force: true });
});

const challengeDir = () => join(webroot, '.well-known', 'acme-challenge');
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('WebrootHttp01Solver', () => {
  it('writes each key authorization with mode 0644 under directories it creates with mode 0755', async () => {
    const solver = new WebrootHttp01Solver({ webroot });
    const tasks = [challengeTask('a.example.test'), challengeTask('b.example.test')];
    const receipts = await solver.publish(tasks, {});

    for (const task of tasks) {
      const file = join(challengeDir(), task.token);
      expect(await readFile(file, 'utf8')).toBe(task.keyAuthorization);
      expect(await mode(file)).toBe(0o644);
    }
    expect(await mode(join(webroot, '.well-known'))).toBe(0o755);
    expect(await mode(challengeDir())).toBe(0o755);
    // Atomic writes leave no temporary files behind.
    expect((await readdir(challengeDir())).sort()).toEqual(tasks.map((task) => task.token).sort());
    expect(receipts[0]!.data).toEqual({
      token: tasks[0]!.token,
      webroot,
      createdDirectories: ['.well-known', '.well-known/acme-challenge'],
    });
    expect(receipts[1]!.data).toMatchObject({ createdDirectories: [] });
  });

  it('is served by a real static web server from the webroot', async () => {
    const solver = new WebrootHttp01Solver({ webroot });
    const task = challengeTask();
    await solver.publish([task], {});
    const app = express();
    app.use(express.static(webroot, { dotfiles: 'allow' }));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await httpRequest(
        (server.address() as AddressInfo).port,
        `${CHALLENGE_PATH}${task.token}`,
      );
      expect([response.status, response.body]).toEqual([200, task.keyAuthorization]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('cleans up its files and the directories it created, from receipts stored as JSON, in a new instance', async () => {
    const tasks = [challengeTask('a.example.test'), challengeTask('b.example.test')];
    const receipts = await new WebrootHttp01Solver({ webroot }).publish(tasks, {});
    const stored = JSON.parse(JSON.stringify(receipts)) as PublicationReceipt[];

    // Another process, possibly configured differently by now: the receipts alone say what to remove.
    await new WebrootHttp01Solver({ webroot: outside }).cleanup(stored, {});
    expect(await readdir(webroot)).toEqual([]);
    // Again, as after a crash between cleanup and saving state: nothing left, no error.
    await new WebrootHttp01Solver({ webroot }).cleanup(stored, {});
  });

  it('keeps directories it did not create, and files it did not write', async () => {
    await mkdir(challengeDir(), { recursive: true });
    await writeFile(join(challengeDir(), 'someone-elses-file'), 'keep me');
    const solver = new WebrootHttp01Solver({ webroot });
    const task = challengeTask();
    const receipts = await solver.publish([task], {});
    expect(receipts[0]!.data).toMatchObject({ createdDirectories: [] });

    await solver.cleanup(receipts, {});
    expect(await readdir(challengeDir())).toEqual(['someone-elses-file']);
  });

  it('cleans up one order without touching another order in the same directory', async () => {
    const solver = new WebrootHttp01Solver({ webroot });
    const first = challengeTask('a.example.test');
    const second = challengeTask('b.example.test');
    const firstReceipts = await solver.publish([first], {}); // creates the directories
    const secondReceipts = await solver.publish([second], {});

    await solver.cleanup(firstReceipts, {});
    expect(await readdir(challengeDir())).toEqual([second.token]); // directory still in use: kept
    await solver.cleanup(secondReceipts, {});
    expect(await readdir(challengeDir())).toEqual([]); // not created by the second order: kept, empty
  });

  it('refuses a token that is not base64url, before building any path', async () => {
    const solver = new WebrootHttp01Solver({ webroot });
    for (const token of [
      '../../outside/pwned-aaaaaaaaaaaaaaaa',
      'aaaaaaaaaaaaaaaaaaaaaaaa/../../../x',
      '..',
    ]) {
      await expect(solver.publish([challengeTask('a.example.test', { token })], {})).rejects.toMatchObject({
        code: ErrorCodes.INVALID_CHALLENGE_TOKEN,
      });
    }
    expect(await readdir(webroot)).toEqual([]);
    expect(await readdir(outside)).toEqual([]);

    // A tampered receipt cannot steer cleanup outside the challenge directory either.
    await writeFile(join(outside, 'victim'), 'keep me');
    const tampered = {
      authorizationUrl: 'x',
      type: 'http-01' as const,
      data: { token: '../../outside/victim' },
    };
    await expect(
      solver.cleanup([{ ...tampered, data: { ...tampered.data, webroot, createdDirectories: [] } }], {}),
    ).rejects.toMatchObject({ code: ErrorCodes.INVALID_CHALLENGE_TOKEN });
    const badDirectories = { token: challengeTask().token, webroot, createdDirectories: ['../outside'] };
    await expect(solver.cleanup([{ ...tampered, data: badDirectories }], {})).rejects.toMatchObject({
      code: ErrorCodes.INVALID_STATE,
    });
    expect(await readFile(join(outside, 'victim'), 'utf8')).toBe('keep me');
  });

  it.each([
    ['.well-known', () => join(webroot, '.well-known')],
    ['.well-known/acme-challenge', () => challengeDir()],
  ])('refuses to follow a symlink %s that leads out of the webroot', async (_label, linkPath) => {
    if (linkPath() === challengeDir()) await mkdir(join(webroot, '.well-known'));
    await symlink(outside, linkPath());
    const solver = new WebrootHttp01Solver({ webroot });
    const error = await solver.publish([challengeTask()], {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.UNSAFE_PATH });
    expect((error as Error).message).toContain(outside);
    expect(await readdir(outside)).toEqual([]);
    // The link itself is left as it was.
    expect(await readlink(linkPath())).toBe(outside);
  });

  it('follows a symlink that stays inside the webroot', async () => {
    await mkdir(join(webroot, 'shared-challenges'));
    await mkdir(join(webroot, '.well-known'));
    await symlink(join(webroot, 'shared-challenges'), challengeDir());
    const solver = new WebrootHttp01Solver({ webroot });
    const task = challengeTask();
    const receipts = await solver.publish([task], {});
    expect(await readFile(join(webroot, 'shared-challenges', task.token), 'utf8')).toBe(
      task.keyAuthorization,
    );
    await solver.cleanup(receipts, {});
    expect(await readdir(join(webroot, 'shared-challenges'))).toEqual([]);
  });

  it('replaces a symlink planted at the file name instead of writing through it', async () => {
    const task = challengeTask();
    await mkdir(challengeDir(), { recursive: true });
    await writeFile(join(outside, 'target'), 'original');
    await symlink(join(outside, 'target'), join(challengeDir(), task.token));

    const solver = new WebrootHttp01Solver({ webroot });
    const receipts = await solver.publish([task], {});
    expect(await readFile(join(outside, 'target'), 'utf8')).toBe('original');
    expect((await lstat(join(challengeDir(), task.token))).isFile()).toBe(true);
    await solver.cleanup(receipts, {});
    expect(await readFile(join(outside, 'target'), 'utf8')).toBe('original');
  });

  it('chooses the webroot per identifier, and removes what it wrote when a later task fails', async () => {
    const siteB = join(base, 'site-b');
    await mkdir(siteB);
    const roots: Record<string, string> = {
      'a.example.test': webroot,
      'b.example.test': siteB,
      'c.example.test': join(base, 'missing'),
    };
    const solver = new WebrootHttp01Solver({ webroot: (identifier) => roots[identifier.value]! });
    const [a, b, c] = [
      challengeTask('a.example.test'),
      challengeTask('b.example.test'),
      challengeTask('c.example.test'),
    ];

    const receipts = await solver.publish([a!, b!], {});
    expect(await readFile(join(siteB, '.well-known/acme-challenge', b!.token), 'utf8')).toBe(
      b!.keyAuthorization,
    );
    await solver.cleanup(receipts, {});

    const error = await solver.publish([a!, b!, c!], {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.INVALID_OPTION });
    expect((error as Error).message).toContain('c.example.test');
    expect((error as Error).message).toContain(join(base, 'missing'));
    expect(await readdir(webroot)).toEqual([]);
    expect(await readdir(siteB)).toEqual([]);
  });

  it('reports a webroot it cannot write to with the identifier and the path', async () => {
    // Root ignores permission bits, so make writing fail the way a read-only mount does: a file in the way.
    await writeFile(join(webroot, '.well-known'), 'not a directory');
    const solver = new WebrootHttp01Solver({ webroot });
    const error = await solver.publish([challengeTask('a.example.test')], {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.SOLVER_FAILED });
    expect((error as Error).message).toContain('a.example.test');
    expect((error as Error).message).toContain('ENOTDIR');
    expect((error as Error).message).toContain(`is in the way at ${join(webroot, '.well-known')}`);
  });

  it('publishes and cleans up many orders concurrently without losing or leaving a file', async () => {
    const solver = new WebrootHttp01Solver({ webroot });
    const orders = Array.from({ length: 20 }, (_, i) => [challengeTask(`n${i}.example.test`)]);
    const began = performance.now();
    await Promise.all(
      orders.map(async (tasks) => {
        const receipts = await solver.publish(tasks, {});
        expect(await readFile(join(challengeDir(), tasks[0]!.token), 'utf8')).toBe(
          tasks[0]!.keyAuthorization,
        );
        await solver.cleanup(receipts, {});
      }),
    );
    const elapsed = performance.now() - began;
    console.log(
      JSON.stringify({ figure: 'http01.webroot_publish_cleanup_20_orders_ms', value: Math.round(elapsed) }),
    );
    const left = await readdir(webroot).catch(() => []);
    const inChallengeDir = left.length > 0 ? await readdir(challengeDir()).catch(() => []) : [];
    expect(inChallengeDir).toEqual([]);
  });
});
