/**
 * A second process on a FileStore directory, for the crash and lease tests. Every acknowledged operation is
 * reported on stdout as one line, `ack <what> <n>`, written only after the store call resolved.
 *
 *   write-loop <dir>          writes certificate, account, ledger and lease in a tight loop until killed
 *   lease-loop <dir> <ms>     competes for the lease "shared" for <ms>, checking nobody else is inside
 *   order-race <dir> <key> <rounds>             races other processes on one order (see order-race.ts)
 *   hold-lease <dir> <name> <ttlMs> [host]      takes the lease and stays alive holding it (lease-holding.ts)
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '@certkeeper/store';
import { certificateRecord } from '@certkeeper/testkit/store-conformance';
import { holdLease } from './lease-holding.js';
import { raceOnOrder } from './order-race.js';

const [mode, directory, ...args] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);

async function writeLoop(store: FileStore): Promise<void> {
  const directoryUrl = 'https://ca.crash.test/directory';
  const start = Number((await store.getAccount(directoryUrl, 'default'))?.accountUrl.split('/').at(-1) ?? 0);
  for (let n = start + 1; ; n += 1) {
    await store.putCertificate(certificateRecord('crash.test', n));
    say(`ack certificate ${n}`);
    await store.putAccount({
      name: 'default',
      directoryUrl,
      accountUrl: `https://ca.crash.test/acct/${n}`,
      keyPem: `key ${n}`,
      contact: [],
      createdAt: new Date().toISOString(),
    });
    say(`ack account ${n}`);
    await store.appendLedger({
      kind: 'new-order',
      at: new Date().toISOString(),
      directoryUrl,
      accountUrl: 'https://ca.crash.test/acct/1',
      identifierSet: 'dns:crash.test',
      identifiers: [{ type: 'dns', value: 'crash.test' }],
      detail: String(n),
    });
    say(`ack ledger ${n}`);
    const lease = await store.acquireLease('crash', `child-${process.pid}`, 200);
    if (!lease) throw new Error('the crash lease was not free');
    say(`ack lease ${lease.token}`);
    await store.releaseLease(lease);
    say(`ack release ${lease.token}`);
  }
}

async function leaseLoop(store: FileStore, durationMs: number): Promise<void> {
  const inside = join(store.directory, 'inside');
  const holder = `child-${process.pid}`;
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    const lease = await store.acquireLease('shared', holder, 1_000);
    if (!lease) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      continue;
    }
    say(`ack held ${lease.token}`);
    const marker = await enter(inside);
    if (!marker) say('violation two holders inside');
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (marker) {
      await marker.close();
      await unlink(inside);
    }
    await store.releaseLease(lease);
  }
}

/** O_EXCL marker of "inside the critical section"; one left by a killed holder (dead pid) is cleared. */
async function enter(path: string) {
  for (;;) {
    const marker = await open(path, 'wx').catch(() => undefined);
    if (marker) {
      await marker.writeFile(String(process.pid));
      return marker;
    }
    const pid = Number(await readFile(path, 'utf8').catch(() => '0'));
    if (pid === 0 || isAlive(pid)) return undefined;
    await unlink(path).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const store = await FileStore.open({ directory: directory! });
say('ready');
if (mode === 'write-loop') await writeLoop(store);
else if (mode === 'lease-loop') await leaseLoop(store, Number(args[0]));
else if (mode === 'hold-lease')
  await holdLease(
    store,
    { name: args[0]!, ttlMs: Number(args[1]), ...(args[2] ? { host: args[2] } : {}) },
    say,
  );
else if (mode === 'order-race')
  await raceOnOrder(store, { key: args[0]!, rounds: Number(args[1]), slotMs: 100 }, say);
await store.close();
say('done');
