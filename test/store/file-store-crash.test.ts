import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateFiles, FileStore } from '@certkeeper/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from './support/child-process.js';

// kill -9 of a writer at a random moment, many times over one directory: each time the store must open
// cleanly, hold at least everything the child acknowledged, and nothing torn or mixed.
describe('FileStore under SIGKILL', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-crash-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const lastAck = (lines: readonly string[], what: string) =>
    Math.max(
      0,
      ...lines.filter((line) => line.startsWith(`ack ${what} `)).map((line) => Number(line.split(' ')[2])),
    );
  const generation = (pem: string) =>
    /gen (\d+)$/.exec(Buffer.from(pem.split('\n')[1]!, 'base64').toString())?.[1];

  it('reopens with the last acknowledged state after each of 15 kills in a tight write loop', async () => {
    let totalAcks = 0;
    const ackedLedger = new Set<number>();
    for (let round = 0; round < 15; round += 1) {
      const child = startChild('./file-store-child.ts', ['write-loop', directory]);
      await child.waitFor((line) => line.startsWith('ack '));
      // A random moment: sometimes before the first fsync completes, sometimes dozens of writes in.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      child.process.kill('SIGKILL');
      const { signal } = await child.exited;
      expect(signal, child.stderr()).toBe('SIGKILL');
      const acks = [...child.lines];
      totalAcks += acks.filter((line) => line.startsWith('ack ')).length;

      const store = await FileStore.open({ directory });
      try {
        const certificate = await store.getCertificate('crash.test');
        const acked = lastAck(acks, 'certificate');
        const stored = Number(generation(certificate!.certificatePem));
        // The write in flight at the kill may or may not have landed; an acknowledged one must have.
        expect(stored).toBeGreaterThanOrEqual(acked);
        expect(stored).toBeLessThanOrEqual(acked + 1);
        expect(generation(certificate!.keyPem!), 'certificate and key from different writes').toBe(
          String(stored),
        );
        const files = certificateFiles(directory, 'crash.test');
        const [fullchain, privkey] = await Promise.all([
          readFile(files.fullchain, 'utf8'),
          readFile(files.privkey, 'utf8'),
        ]);
        expect(generation(fullchain)).toBe(generation(privkey));
        expect(Number(generation(fullchain))).toBeGreaterThanOrEqual(acked);

        const account = await store.getAccount('https://ca.crash.test/directory', 'default');
        expect(Number(account?.accountUrl.split('/').at(-1) ?? 0)).toBeGreaterThanOrEqual(
          lastAck(acks, 'account'),
        );

        const events = await store.queryLedger({
          directoryUrl: 'https://ca.crash.test/directory',
          since: '2000-01-01T00:00:00.000Z',
        });
        const details = events.map((event) => Number(event.detail));
        expect(new Set(details).size, 'a ledger event was written twice').toBe(details.length);
        for (const line of acks)
          if (line.startsWith('ack ledger ')) ackedLedger.add(Number(line.split(' ')[2]));
        // Every event acknowledged in this round or any earlier one is there.
        expect(details).toEqual(expect.arrayContaining([...ackedLedger]));

        // The lease is free (released) or still held by the dead child until its 200 ms expire; either way the
        // next token is greater than every acknowledged one.
        let lease = await store.acquireLease('crash', 'parent', 60_000);
        if (!lease) {
          expect(lastAck(acks, 'lease')).toBeGreaterThanOrEqual(lastAck(acks, 'release'));
          await new Promise((resolve) => setTimeout(resolve, 250));
          lease = await store.acquireLease('crash', 'parent', 60_000);
        }
        expect(lease?.token).toBeGreaterThan(lastAck(acks, 'lease'));
        await store.releaseLease(lease!);
      } finally {
        await store.close();
      }
    }
    expect(totalAcks).toBeGreaterThan(30);
  }, 120_000);
});
