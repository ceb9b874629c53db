// Issue 10: an `account rollover` killed at any instruction leaves a store the next command works with.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcmeClient, exportPrivateKeyPem, generateAccountKey, importAccountKey } from '@certkeeper/core';
import { createCertificateManager } from '@certkeeper/manager';
import { type AccountRecord, FileStore } from '@certkeeper/store';
import { type FaultProxy, faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PebbleFixture, proxyFixture, startPebbleFixture } from '../engine/pebble-fixture.js';
import { killPointEnv, readKillTrace } from '../support/kill-points.js';

const script = new URL('./support/rollover-process.ts', import.meta.url).pathname;
const root = new URL('../..', import.meta.url).pathname;
const names = ['rollover.example.test'];

describe('account rollover killed at every store write and between keyChange and its storing', () => {
  let fixture: PebbleFixture;
  let proxy: FaultProxy;
  const directories: string[] = [];

  beforeAll(async () => {
    fixture = await startPebbleFixture();
    ({ proxy } = await proxyFixture(fixture));
  });
  afterAll(async () => {
    await proxy?.close();
    await fixture?.stop();
    if (!process.env.CERTKEEPER_KEEP_TEST_DIRS)
      await Promise.all(directories.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** The manager a command composes on a store: the CA through the proxy, http-01 from the fixture. */
  const managerOn = (store: FileStore) =>
    createCertificateManager({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      store,
      solvers: [fixture.http01],
      metrics: false,
    });

  /** An ensure() as a command would run it: its own FileStore on the directory, closed afterwards. */
  async function ensureForced(directory: string) {
    const store = await FileStore.open({ directory });
    const manager = managerOn(store);
    try {
      return await manager.ensure({ identifiers: names, force: true });
    } finally {
      await manager.close();
      await store.close();
    }
  }

  async function storedAccount(directory: string): Promise<AccountRecord> {
    const store = await FileStore.open({ directory });
    try {
      return (await store.getAccount(proxy.directoryUrl, 'default'))!;
    } finally {
      await store.close();
    }
  }

  /** The account URL the CA gives for a key (newAccount with onlyReturnExisting), undefined when it knows none. */
  async function accountOfKey(keyPem: string): Promise<string | undefined> {
    const client = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey: await importAccountKey(keyPem),
    });
    try {
      return (await client.accounts.find())?.url;
    } finally {
      await client.close();
    }
  }

  /** A store with an account and a certificate, as `issue` leaves it. */
  async function freshStore(): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), 'certkeeper-rollover-'));
    directories.push(directory);
    expect((await ensureForced(directory)).type).toBe('issued');
    return directory;
  }

  function runRollover(directory: string, kill: Parameters<typeof killPointEnv>[0]) {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=@certkeeper/source', '--import', 'tsx', script],
      {
        cwd: root,
        env: {
          ...process.env,
          ...killPointEnv({ match: directory, ...kill }),
          CERTKEEPER_TEST_ROLLOVER: JSON.stringify({
            directoryUrl: proxy.directoryUrl,
            caBundle: proxy.caBundlePem,
            storeDirectory: directory,
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, exited, output: () => output };
  }

  /**
   * The next command after a kill: a forced ensure renews with zero JWS errors at the CA (no request refused except
   * the one key lookup by newAccount), and the stored key is the one the CA holds for the account.
   */
  async function nextCommandWorks(directory: string, before: AccountRecord): Promise<'old' | 'new'> {
    proxy.clearLog();
    const outcome = await ensureForced(directory);
    expect(outcome.type, outcome.reason).toBe('renewed');
    const refused = proxy.log.filter((e) => (e.status ?? 0) >= 400 && e.kind !== 'newAccount');
    expect(refused).toEqual([]);
    const after = await storedAccount(directory);
    expect(after.accountUrl).toBe(before.accountUrl);
    expect(await accountOfKey(after.keyPem)).toBe(before.accountUrl);
    // A key left pending (the dead rollover still held the account lease) is one the CA does not hold.
    if (after.pendingKeyPem) expect(await accountOfKey(after.pendingKeyPem)).toBeUndefined();
    return after.keyPem === before.keyPem ? 'old' : 'new';
  }

  it('a running manager notices a key rolled over by another process and signs with the new one', async () => {
    const directory = await freshStore();
    const store = await FileStore.open({ directory });
    const manager = managerOn(store);
    try {
      expect((await manager.ensure({ identifiers: names, force: true })).type).toBe('renewed');
      const before = await storedAccount(directory);
      const rolled = runRollover(directory, {});
      expect((await rolled.exited).code, rolled.output()).toBe(0);
      proxy.clearLog();
      expect((await manager.ensure({ identifiers: names, force: true })).type).toBe('renewed');
      expect(proxy.log.filter((e) => (e.status ?? 0) >= 400)).toEqual([]);
      const after = await storedAccount(directory);
      expect(after.keyPem).not.toBe(before.keyPem);
      expect(await accountOfKey(after.keyPem)).toBe(before.accountUrl);
    } finally {
      await manager.close();
      await store.close();
    }
  }, 60_000);

  it('a store left by an older version’s interrupted rollover (the new key only in `<name>#rollover`) is adopted', async () => {
    for (const switched of [true, false]) {
      const directory = await freshStore();
      const before = await storedAccount(directory);
      const newKey = await generateAccountKey('ES256');
      if (switched) {
        const client = new AcmeClient({
          directoryUrl: proxy.directoryUrl,
          caBundle: proxy.caBundlePem,
          accountKey: await importAccountKey(before.keyPem),
          accountUrl: before.accountUrl,
        });
        await client.accounts.rolloverKey(newKey);
        await client.close();
      }
      const store = await FileStore.open({ directory });
      await store.putAccount({ ...before, name: 'default#rollover', keyPem: exportPrivateKeyPem(newKey) });
      await store.close();
      expect(await nextCommandWorks(directory, before)).toBe(switched ? 'new' : 'old');
    }
  }, 60_000);

  it('at every traced write point, then with the keyChange answer held: the next command always works', async () => {
    // Trace once, to learn the write points of a whole rollover.
    const traced = await freshStore();
    const trace = join(traced, '..', `${traced.split('/').pop()}.trace`);
    directories.push(trace);
    const clean = runRollover(traced, { trace });
    const finished = await clean.exited;
    expect(finished.code, clean.output()).toBe(0);
    const points = await readKillTrace(trace);
    expect(points.some((p) => p.paths.some((path) => path.includes('/accounts/')))).toBe(true);

    const seen = new Set<'old' | 'new'>();
    for (const point of points) {
      const directory = await freshStore();
      const before = await storedAccount(directory);
      const run = runRollover(directory, { at: point.n });
      const { signal } = await run.exited;
      expect(signal, `kill point ${point.n} (${point.op} ${point.paths.join(' ')}): ${run.output()}`).toBe(
        'SIGKILL',
      );
      seen.add(await nextCommandWorks(directory, before));
    }
    // Killed before the keyChange the CA keeps the old key; killed after it, the new one must be adopted.
    expect([...seen].sort()).toEqual(['new', 'old']);

    // Killed while the CA's answer to keyChange is held: the CA switched, the child never knew.
    const directory = await freshStore();
    const before = await storedAccount(directory);
    let applied!: () => void;
    const keyChangeApplied = new Promise<void>((resolve) => (applied = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    proxy.addRule({
      kind: 'keyChange',
      times: 1,
      action: faults.respond(async (_request, context) => {
        const answer = await context.forward();
        applied();
        await released;
        return {
          status: answer.status,
          headers: answer.headers as Record<string, string>,
          body: answer.body,
        };
      }),
    });
    const held = runRollover(directory, {});
    await keyChangeApplied;
    held.child.kill('SIGKILL');
    expect((await held.exited).signal).toBe('SIGKILL');
    release();
    expect((await storedAccount(directory)).pendingKeyPem).toBeDefined();
    expect(await nextCommandWorks(directory, before)).toBe('new');
  }, 300_000);
});
