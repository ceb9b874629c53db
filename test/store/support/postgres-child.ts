/**
 * A separate process against PostgreSQL, for the start-up race and coalescing tests. It waits until the
 * wall-clock time `startAt` (so several children hit the server in the same moment), then:
 *
 *   open <startAt> <schema>                               opens PostgresStore (migrations), prints `ack opened`
 *   enqueue <startAt> <jobsSchema> <queue> <key> <count>  starts the queue, enqueues `key` count times
 *   order-race <startAt> <schema> <key> <rounds>          races other processes on one order (order-race.ts)
 *   hold-lease <startAt> <schema> <name> <ttlMs> [host]   takes the lease and stays alive (lease-holding.ts)
 *   wait-lease <startAt> <schema> <name> <ttlMs> [host]   polls until the lease is its own
 *   hang <startAt> <jobsSchema> <queue>                   works the queue, prints `ack working <key>` for a
 *                                                         job and never finishes it (the test kills it)
 */
import { PgBossRenewalQueue, PostgresStore } from '@certkeeper/store-postgres';
import { holdLease, waitForLease } from './lease-holding.js';
import { raceOnOrder } from './order-race.js';
import { connectionString } from './postgres.js';

const [mode, startAtText, ...args] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));

if (mode === 'open') {
  const store = await PostgresStore.open({ connectionString, schema: args[0]! });
  say('ack opened');
  await store.close();
} else if (mode === 'enqueue') {
  const [schema, queue, key, count] = args;
  const jobs = await PgBossRenewalQueue.start({ connectionString, schema: schema!, queue: queue! });
  const ids = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) => jobs.enqueue(key!, { from: process.pid, i })),
  );
  for (const id of ids) say(`ack enqueued ${id ?? 'coalesced'}`);
  await jobs.stop();
} else if (mode === 'hang') {
  const [schema, queue] = args;
  const jobs = await PgBossRenewalQueue.start({
    connectionString,
    schema: schema!,
    queue: queue!,
    pollingIntervalSeconds: 0.5,
  });
  await jobs.work(async (job) => {
    say(`ack working ${job.key}`);
    await new Promise(() => {});
  });
  await new Promise(() => {});
} else if (mode === 'hold-lease' || mode === 'wait-lease') {
  const [schema, name, ttlMs, host] = args;
  const store = await PostgresStore.open({ connectionString, schema: schema! });
  const options = { name: name!, ttlMs: Number(ttlMs), ...(host ? { host } : {}) };
  await (mode === 'hold-lease' ? holdLease(store, options, say) : waitForLease(store, options, say));
  await store.close();
} else if (mode === 'order-race') {
  const [schema, key, rounds] = args;
  const store = await PostgresStore.open({ connectionString, schema: schema! });
  await raceOnOrder(store, { key: key!, rounds: Number(rounds), slotMs: 100 }, say);
  await store.close();
}
say('done');
