import { open, readdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { newestOf } from '../port/newest-of.js';
import type { LedgerEvent, LedgerQuery } from '../port/records.js';
import { syncDirectory } from './durable-fs.js';
import type { FileLocks } from './file-lock.js';
import { entryMatches, LedgerDayCache } from './ledger-day-cache.js';
import { storeIoError } from './store-io-error.js';

const DAY_MS = 86_400_000;
const dayFile = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

interface Pending {
  readonly file: string;
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The append-only issuance ledger: one JSON-lines file per UTC day of the event's `at`
 * (`ledger/2026-11-22.jsonl`), so a 7-day query reads 8 files and old days are dropped whole.
 *
 * Appends that arrive together are written together (group commit): one locked write and one fsync for all
 * of them, and each caller is answered only after that fsync. A kill -9 in the middle of a write can leave a
 * partial last line; it was never acknowledged, readers skip it, and the next append starts a new line.
 * Queries read through {@link LedgerDayCache}, which reads each day once and then only what was appended.
 */
export class LedgerFiles {
  private pending: Pending[] = [];
  private readonly cache = new LedgerDayCache();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly directory: string,
    private readonly locks: FileLocks,
  ) {}

  append(event: LedgerEvent): Promise<void> {
    const time = Date.parse(event.at);
    if (Number.isNaN(time)) {
      return Promise.reject(
        new CertkeeperError(
          ErrorCodes.INVALID_OPTION,
          `FileStore: ledger event "${event.kind}" for ${event.identifierSet} has an invalid time "${event.at}".`,
          { hint: 'pass `at` as an ISO 8601 time (Date.toISOString()).' },
        ),
      );
    }
    const file = `${new Date(time).toISOString().slice(0, 10)}.jsonl`;
    return new Promise((resolve, reject) => {
      this.pending.push({ file, line: `${JSON.stringify(event)}\n`, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Wait for appends in progress (before close). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async query(query: LedgerQuery): Promise<LedgerEvent[]> {
    const since = Date.parse(query.since);
    const firstDay = Number.isNaN(since) ? '' : new Date(since).toISOString().slice(0, 10);
    const paths = (await this.dayFiles()).map((name) => join(this.directory, name));
    this.cache.retain(paths);
    const matches: { readonly at: string; readonly line: string }[] = [];
    for (const path of paths) {
      if (basename(path).slice(0, 10) < firstDay) continue;
      for (const entry of await this.cache.entries(path)) if (entryMatches(entry, query)) matches.push(entry);
    }
    // Stable: events at the same time keep the order they were appended in.
    matches.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    // Parsed only now, and only those returned: each caller gets its own copy.
    return newestOf(matches, query.newest).map((entry) => JSON.parse(entry.line) as LedgerEvent);
  }

  /** Drop day files older than `retentionDays` (whole days, so nothing inside a rule's window goes). */
  async prune(retentionDays: number, now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString().slice(0, 10);
    for (const name of await this.dayFiles()) {
      if (name.slice(0, 10) < cutoff) await unlink(join(this.directory, name)).catch(() => {});
    }
  }

  private async dayFiles(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).filter((name) => dayFile.test(name)).sort();
    } catch (error) {
      throw storeIoError('listing the ledger', this.directory, error);
    }
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.locks.withLock('ledger', () => this.write(batch));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.flushing = undefined;
  }

  private async write(batch: readonly Pending[]): Promise<void> {
    const byFile = new Map<string, string[]>();
    for (const entry of batch) byFile.set(entry.file, [...(byFile.get(entry.file) ?? []), entry.line]);
    for (const [file, lines] of byFile) {
      const path = join(this.directory, file);
      try {
        const handle = await open(path, 'a+', 0o600);
        try {
          const { size } = await handle.stat();
          const last = Buffer.alloc(1);
          if (size > 0) await handle.read(last, 0, 1, size - 1);
          // A torn line from a killed writer has no newline: end it, so our first event starts a line of its own.
          const prefix = size > 0 && last[0] !== 0x0a ? '\n' : '';
          await handle.write(prefix + lines.join(''));
          await handle.sync();
          if (size === 0) await syncDirectory(this.directory);
        } finally {
          await handle.close();
        }
      } catch (error) {
        if (CertkeeperError.isInstance(error)) throw error;
        throw storeIoError('appending to the ledger', path, error);
      }
    }
  }
}
