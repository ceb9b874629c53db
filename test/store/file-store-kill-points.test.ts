import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CertificateRecord,
  certificateFiles,
  FileStore,
  leaseHolderId,
  MemoryStore,
  type Store,
} from '@certkeeper/store';
import {
  certificateRecord,
  ledgerEvent,
  managedRecord,
  orderRecord,
} from '@certkeeper/testkit/store-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KillPointOp, killPointEnv, readKillTrace, type TracedPoint } from '../support/kill-points.js';
import { startChild } from './support/child-process.js';
import { crashSteps, crashKeys as k } from './support/crash-script.js';

// Every filesystem write the FileStore makes (locks included), so a kill lands before each one in turn.
const ops: KillPointOp[] = ['rename', 'unlink', 'rm', 'rmdir', 'symlink', 'link', 'writeFile', 'mkdir'];
const parallel = 3;

/** The generation a fixture certificate was written with; fails when its certificate and key differ. */
function generation(record: Pick<CertificateRecord, 'certificatePem' | 'keyPem'>): number {
  const of = (pem: string) =>
    /gen (\d+)$/.exec(Buffer.from(pem.split('\n')[1] ?? '', 'base64').toString())?.[1];
  assert.equal(
    of(record.certificatePem),
    of(record.keyPem ?? ''),
    'a certificate stored with the key of another write',
  );
  return Number(of(record.certificatePem));
}

/** What a reader can see of every record the crash script touches. */
async function snapshot(store: Store) {
  const certificate = await store.getCertificate(k.certificate);
  const other = await store.getCertificate(k.other);
  const order = await store.getOrder(k.order);
  return {
    certificate: certificate ? generation(certificate) : null,
    other: other ? generation(other) : null,
    order: order ? { revision: order.revision, id: order.state.id } : null,
    managed: (await store.getManaged(k.managed)) ?? null,
    backoff: (await store.getBackoff(k.backoff)) ?? null,
    ledger: (
      await store.queryLedger({ directoryUrl: k.directoryUrl, since: '2000-01-01T00:00:00.000Z' })
    ).map((event) => event.detail),
    lease: (await store.getLease(k.lease))?.token ?? null,
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** The published PEM files of `key` hold the stored record's certificate and key, or are absent with it. */
async function assertFilesMatch(directory: string, key: string, stored: number | null): Promise<void> {
  const files = certificateFiles(directory, key);
  const read = (path: string) => readFile(path, 'utf8').catch(() => null);
  const [fullchain, privkey, cert] = await Promise.all([
    read(files.fullchain),
    read(files.privkey),
    read(files.cert),
  ]);
  if (stored === null) {
    assert.deepEqual([fullchain, privkey, cert], [null, null, null], `files of a removed certificate ${key}`);
    return;
  }
  assert.ok(fullchain && privkey && cert, `a published file of ${key} is missing`);
  assert.equal(generation({ certificatePem: fullchain, keyPem: privkey }), stored, `files of ${key}`);
  assert.ok(fullchain.startsWith(cert), `cert.pem of ${key} is not the leaf of fullchain.pem`);
}

/** The model: what the store holds after the first n steps, for n = 0…steps, from the reference MemoryStore. */
async function models(): Promise<Snapshot[]> {
  const store = new MemoryStore();
  const context = {};
  const result = [await snapshot(store)];
  for (const step of crashSteps) {
    await step.run(store, context);
    result.push(await snapshot(store));
  }
  return result;
}

/** After the crash: the store opens cleanly and every kind of write succeeds at once. */
async function writeAfterCrash(store: FileStore, before: Snapshot): Promise<void> {
  const started = Date.now();
  await store.putCertificate(certificateRecord(k.certificate, 9));
  await assertFilesMatch(store.directory, k.certificate, 9);
  const base = orderRecord(k.order);
  const next = await store.putOrder(base, before.order?.revision ?? 0);
  assert.equal(next.revision, (before.order?.revision ?? 0) + 1, 'the order revision after the crash');
  await store.putManaged(managedRecord(k.managed));
  await store.appendLedger(ledgerEvent(k.directoryUrl, { at: new Date().toISOString(), detail: 'after' }));
  // A lease the dead child held is taken over at once: its holder is provably dead.
  const lease = await store.acquireLease(k.lease, leaseHolderId({ description: 'after the crash' }), 60_000);
  assert.ok(lease && lease.token > (before.lease ?? 0), 'the lease could not be taken after the crash');
  await store.deleteCertificate(k.other);
  const listed = (await store.listCertificates()).map((record) => record.key);
  assert.deepEqual(listed, [k.certificate], 'listCertificates after the crash');
  // A lock left by the killed child would cost its 30 s stale period, or a lock timeout.
  assert.ok(Date.now() - started < 10_000, `writes after the crash took ${Date.now() - started} ms`);
}

describe('FileStore killed at every write point', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'certkeeper-kill-points-store-'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('every record old or new and whole, certificate and key (and files) from one write, nothing acknowledged lost, and the store writes on', async () => {
    const started = Date.now();
    const expected = await models();

    const tracedRun = await mkdtemp(join(base, 'trace-'));
    const trace = join(base, 'trace.txt');
    const traced = startChild('./store-crash-child.ts', [join(tracedRun, 'store')], {
      ...killPointEnv({ trace, ops, match: tracedRun }),
    });
    expect((await traced.exited).code, traced.stderr()).toBe(0);
    expect(traced.lines.at(-1)).toBe('done');
    const points = await readKillTrace(trace);
    expect(points.length).toBeGreaterThan(100);

    const failures: string[] = [];
    const killAt = async (point: TracedPoint) => {
      const run = await mkdtemp(join(base, `kill-${point.n}-`));
      const directory = join(run, 'store');
      const child = startChild(
        './store-crash-child.ts',
        [directory],
        killPointEnv({ at: point.n, ops, match: run }),
      );
      const exit = await child.exited;
      const acked = child.lines.filter((line) => line.startsWith('ack ')).length;
      const where = `kill point ${point.n} (${point.op} ${point.paths.map((path) => path.replace(tracedRun, '')).join(' ')}) after ${acked} acknowledged steps`;
      try {
        assert.equal(exit.signal, 'SIGKILL', `the child was not killed: ${child.stderr()}`);
        const store = await FileStore.open({ directory });
        try {
          const seen = await snapshot(store);
          const allowed = child.lines.includes('opened') ? expected.slice(acked, acked + 2) : [expected[0]!];
          const matches = allowed.some((model) => {
            try {
              assert.deepEqual(seen, model);
              return true;
            } catch {
              return false;
            }
          });
          assert.ok(
            matches,
            `the store holds ${JSON.stringify(seen)}, expected the state after step ${acked} or ${acked + 1}: ${allowed.map((model) => JSON.stringify(model)).join(' or ')}`,
          );
          await assertFilesMatch(directory, k.certificate, seen.certificate);
          await assertFilesMatch(directory, k.other, seen.other);
          await writeAfterCrash(store, seen);
        } finally {
          await store.close();
        }
        await rm(run, { recursive: true, force: true });
      } catch (error) {
        failures.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const queue = [...points];
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let point = queue.shift(); point; point = queue.shift()) await killAt(point);
      }),
    );
    console.log(
      JSON.stringify({
        bench: 'filestore-kill-points',
        points: points.length,
        steps: crashSteps.length,
        ms: Date.now() - started,
      }),
    );
    expect(failures).toEqual([]);
  }, 900_000);
});
