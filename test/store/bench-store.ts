/**
 * Store figures, one JSON line each: write latency (p50/p99) per backend, a 7-day ledger query over 100 000
 * events, a listCertificates sweep over 100 000 certificates (time, heap), and the renewal sweep's due query
 * over the same certificates (1 % due). Needs PostgreSQL as the tests do.
 *
 *   node --expose-gc --conditions=@certkeeper/source --import tsx test/store/bench-store.ts \
 *     [--count 100000] [--backends file,postgres] [--parts latency,ledger,sweep]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dueCertificates, FileStore, type LedgerEvent, type Store } from '@certkeeper/store';
import { PostgresStore } from '@certkeeper/store-postgres';
import { certificateRecord, orderRecord } from '@certkeeper/testkit/store-conformance';
import { connectionString, requirePostgres, testSchema } from './support/postgres.js';

const countIndex = process.argv.indexOf('--count');
const count = countIndex >= 0 ? Number(process.argv[countIndex + 1]) : 100_000;
if (!Number.isInteger(count) || count <= 0)
  throw new Error(`--count takes a positive whole number, not ${process.argv[countIndex + 1]}`);
const emit = (bench: string, figures: Record<string, unknown>) =>
  console.log(JSON.stringify({ bench, ...figures }));
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const round = (value: number) => Math.round(value * 100) / 100;
const percentile = (values: number[], p: number) =>
  round([...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!);

async function latency(name: string, store: Store): Promise<void> {
  const measure = async (what: string, write: (i: number) => Promise<void>) => {
    const samples: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const start = process.hrtime.bigint();
      await write(i);
      samples.push(ms(start));
    }
    emit(`store-write-latency`, {
      backend: name,
      write: what,
      n: samples.length,
      p50Ms: percentile(samples, 0.5),
      p99Ms: percentile(samples, 0.99),
    });
  };
  await measure('putCertificate', (i) =>
    store.putCertificate(certificateRecord(`latency-${i % 10}.test`, i + 1)),
  );
  // Compare-and-set on the revision each key is at: the write a worker persisting an order step makes.
  const revisions: number[] = [];
  await measure('putOrder', async (i) => {
    const written = await store.putOrder(orderRecord(`latency-${i % 10}`), revisions[i % 10] ?? 0);
    revisions[i % 10] = written.revision;
  });
  await measure('appendLedger', (i) => store.appendLedger(event('https://latency.test/directory', i)));
  await measure('acquireLease', (i) =>
    store.acquireLease(`latency-${i % 10}`, `holder-${i}`, 1).then(() => {}),
  );
}

function event(directoryUrl: string, i: number, base = Date.now()): LedgerEvent {
  const set = `dns:site-${i % 5_000}.test`;
  return {
    kind: i % 3 === 0 ? 'certificate' : 'new-order',
    // Spread over the last 7 days.
    at: new Date(base - (i % 7) * 86_400_000 - (i % 86_400) * 1_000).toISOString(),
    directoryUrl,
    accountUrl: `https://ca.bench.test/acct/${i % 20}`,
    identifierSet: set,
    identifiers: [{ type: 'dns', value: set.slice(4) }],
  };
}

async function inBatches(total: number, size: number, write: (i: number) => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let from = 0; from < total; from += size) {
    await Promise.all(Array.from({ length: Math.min(size, total - from) }, (_, j) => write(from + j)));
  }
  return ms(start);
}

async function ledger(name: string, store: Store): Promise<void> {
  const directoryUrl = 'https://ledger.bench.test/directory';
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const fillMs = await inBatches(count, 500, (i) => store.appendLedger(event(directoryUrl, i)));
  emit('store-ledger-fill', {
    backend: name,
    events: count,
    ms: round(fillMs),
    perSecond: Math.round(count / (fillMs / 1000)),
  });
  const since = new Date(Date.now() - 7 * 86_400_000 - 3_600_000).toISOString();
  for (const [what, query] of [
    ['one identifier set', { directoryUrl, since, identifierSet: 'dns:site-42.test' }],
    [
      'one account, new orders',
      { directoryUrl, since, accountUrl: 'https://ca.bench.test/acct/3', kinds: ['new-order'] as const },
    ],
    ['everything', { directoryUrl, since }],
  ] as const) {
    const cold = process.hrtime.bigint();
    await store.queryLedger(query);
    const firstMs = round(ms(cold));
    const samples: number[] = [];
    let matched = 0;
    for (let i = 0; i < 5; i += 1) {
      const start = process.hrtime.bigint();
      matched = (await store.queryLedger(query)).length;
      samples.push(ms(start));
    }
    emit('store-ledger-query', {
      backend: name,
      events: count,
      query: what,
      matched,
      firstMs,
      medianMs: percentile(samples, 0.5),
    });
  }
  global.gc?.();
  // What the backend keeps in this process for the ledger after the queries (the FileStore's day cache).
  emit('store-ledger-memory', {
    backend: name,
    events: count,
    heapRetainedMb: round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20),
  });
}

async function sweep(name: string, store: Store, reopen: () => Promise<Store>): Promise<void> {
  // One certificate in a hundred due (its renewalInfo refresh passed), the others fresh for a month: a fleet
  // renewed every 60 of 90 days has well under 1 % due in any hour.
  const now = Date.now();
  const fresh = new Date(now + 30 * 86_400_000).toISOString();
  const past = new Date(now - 3_600_000).toISOString();
  const fillMs = await inBatches(count, 200, (i) => {
    const record = certificateRecord(`sweep-${String(i).padStart(6, '0')}.bench.test`);
    const at = i % 100 === 0 ? past : fresh;
    return store.putCertificate({
      ...record,
      keyPem: 'k',
      notBefore: new Date(now - 10 * 86_400_000).toISOString(),
      notAfter: new Date(now + 80 * 86_400_000).toISOString(),
      renewalInfo: { ...record.renewalInfo!, chosenAt: at, refreshAt: at },
    });
  });
  emit('store-certificates-fill', {
    backend: name,
    certificates: count,
    ms: round(fillMs),
    perSecond: Math.round(count / (fillMs / 1000)),
  });
  global.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let seen = 0;
  const start = process.hrtime.bigint();
  for (let afterKey: string | undefined; ; ) {
    const page = await store.listCertificates({ afterKey, limit: 1000 });
    seen += page.filter((record) => record.key.startsWith('sweep-')).length;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    if (page.length < 1000) break;
    afterKey = page.at(-1)!.key;
  }
  emit('store-sweep', {
    backend: name,
    certificates: seen,
    pageSize: 1000,
    ms: round(ms(start)),
    heapPeakMb: round((peak - baseline) / 2 ** 20),
    rssMb: round(process.memoryUsage().rss / 2 ** 20),
  });
  // The renewal sweep's query: only the due ones, from the store's index. "cold" is a store just opened (a
  // daemon's first sweep: the FileStore reads its whole index file), "warm" the same store's next sweeps.
  const by = new Date().toISOString();
  const dueSweep = async (label: string, subject: Store) => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    let due = 0;
    for await (const record of dueCertificates(subject, { by }))
      if (record.key.startsWith('sweep-')) due += 1;
    emit('store-due-sweep', {
      backend: name,
      certificates: count,
      due,
      run: label,
      ms: round(ms(started)),
      heapMb: round((process.memoryUsage().heapUsed - before) / 2 ** 20),
    });
  };
  const reopened = await reopen();
  try {
    await dueSweep('cold', reopened);
    for (let i = 1; i <= 3; i += 1) await dueSweep(`warm ${i}`, reopened);
  } finally {
    await reopened.close();
  }
}

async function main(): Promise<void> {
  const option = (flag: string, fallback: string) =>
    (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1]! : fallback).split(',');
  const backends = option('--backends', 'file,postgres');
  const parts = option('--parts', 'latency,ledger,sweep');
  const runParts = async (name: string, store: Store, reopen: () => Promise<Store>) => {
    if (parts.includes('latency')) await latency(name, store);
    if (parts.includes('ledger')) await ledger(name, store);
    if (parts.includes('sweep')) await sweep(name, store, reopen);
  };
  if (backends.includes('file')) {
    const directory = await mkdtemp(join(tmpdir(), 'certkeeper-bench-'));
    const store = await FileStore.open({ directory });
    try {
      await runParts('file', store, () => FileStore.open({ directory }));
    } finally {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    }
  }
  if (backends.includes('postgres')) {
    await requirePostgres();
    const { schema, drop } = testSchema('bench');
    const store = await PostgresStore.open({ connectionString, schema });
    try {
      await runParts('postgres', store, () => PostgresStore.open({ connectionString, schema }));
    } finally {
      await store.close();
      await drop();
    }
  }
}

await main();
