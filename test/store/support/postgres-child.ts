/**
 * A separate process against PostgreSQL, for the start-up race and coalescing tests. It waits until the
 * wall-clock time `startAt` (so several children hit the server in the same moment), then:
 *
 *   open <startAt> <schema>                               opens PostgresStore (migrations), prints `ack opened`
 *   enqueue <startAt> <jobsSchema> <queue> <key> <count>  starts the queue, enqueues `key` count times
 *   order-race <startAt> <schema> <key> <rounds>          races other processes on one order (order-race.ts)
 *   hang <startAt> <jobsSchema> <queue>                   works the queue, prints `ack working <key>` for a
 *                                                         job and never finishes it (the test kills it)
 */
import { PgBossRenewalQueue, PostgresStore } from '@certkeeper/store-postgres';
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
} else if (mode === 'order-race') {
  const [schema, key, rounds] = args;
  const store = await PostgresStore.open({ connectionString, schema: schema! });
  // The first round a second after startAt: every process has opened its store by then.
  const startAt = Number(startAtText) + 1_000;
  await raceOnOrder(store, { key: key!, startAt, rounds: Number(rounds), slotMs: 100 }, say);
  await store.close();
}
say('done');
