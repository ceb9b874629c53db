import { randomBytes } from 'node:crypto';
import { appendFile, open } from 'node:fs/promises';
import { certificateCheckAt } from '../port/due.js';
import type { CertificateRecord } from '../port/records.js';
import type { CertificateFiles } from './certificate-files.js';
import { writeFileDurably } from './durable-fs.js';
import type { FileLocks } from './file-lock.js';
import { certificateDirectoryName } from './safe-name.js';
import { errnoCode, storeIoError } from './store-io-error.js';

/** What the index knows of one certificate: its dates, or that a write of it was under way. */
export type IndexEntry =
  | { readonly name: string; readonly checkAt: number; readonly notAfter: number }
  | { readonly name: string; readonly pending: true };

/** One line of the index log: an entry, or the removal of a key. */
interface IndexLine {
  readonly k: string;
  readonly n: string;
  /** certificateCheckAt and notAfter, milliseconds; absent on pending and removal lines. */
  readonly c?: number;
  readonly e?: number;
  readonly p?: 1;
  readonly d?: 1;
}

interface Loaded {
  /** The header line of the file read: another one means the log was compacted since. */
  readonly generation: string;
  /** Bytes read so far (up to the end of the last whole line). */
  offset: number;
  /** Whether the file ends in the middle of a line (a writer killed mid-append): the next append starts a new one. */
  partialTail: boolean;
  /** The torn last line's text, when there is one. */
  tail: string;
  /** The file's size when it was last read. */
  size: number;
  lines: number;
  readonly entries: Map<string, IndexEntry>;
}

interface Queued {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The FileStore's certificate index: one JSON-lines log, `certificate-index.jsonl`, holding per certificate key
 * its directory name, {@link certificateCheckAt} and notAfter, so the due sweep reads one file instead of one
 * record per certificate. The last line of a key wins.
 *
 * Crash safety, with the certificate's own atomic rename: a write appends a `pending` line (fsync'd) before the
 * certificate's files are switched, and the exact line after. A kill in between leaves `pending`, which the due
 * listing treats as due, reads from the files and settles; so the index may list too much after a crash, never
 * too little. A missing index (a store from before it, or deleted) is rebuilt from the certificate files; a
 * certificate directory the index does not name (written by something that bypassed it) is read and added by
 * the due listing. Appends are group-committed (one lock, one write, one fsync for all waiting callers); a torn
 * last line was never acknowledged and is skipped. When the log holds more than twice the live entries it is
 * compacted: rewritten whole, durably, and renamed over itself.
 */
export class CertificateIndex {
  private loaded: Loaded | undefined;
  private queue: Queued[] = [];
  private flushing: Promise<void> | undefined;
  /** Reads of the log, one after the other: each continues from where the previous one stopped. */
  private reading: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly certificates: CertificateFiles,
    private readonly locks: FileLocks,
  ) {}

  /** Before a certificate's files are switched: until settled, the certificate counts as due. */
  pending(key: string): Promise<void> {
    return this.append({ k: key, n: certificateDirectoryName(key), p: 1 });
  }

  /** After a certificate's files are switched (or found on disk): its dates. */
  settled(record: CertificateRecord): Promise<void> {
    return this.append(lineOf(record));
  }

  /** After a certificate's files are removed (or found gone). */
  removed(key: string): Promise<void> {
    return this.append({ k: key, n: certificateDirectoryName(key), d: 1 });
  }

  /** Every indexed certificate by key, read from the log (only what was appended since the last read). */
  async entries(): Promise<ReadonlyMap<string, IndexEntry>> {
    const loaded = await this.refresh();
    if (loaded) return loaded.entries;
    return (await this.locks.withLock('certificate index', () => this.refreshOrRebuild())).entries;
  }

  /**
   * The keys of these certificate directory names, as far as the log knows them (nothing when there is no log;
   * never rebuilt for this). A name is derived from its key ({@link certificateDirectoryName}), so a listing can
   * take a key from here instead of reading the certificate's record for it.
   */
  async keysOf(names: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const wanted = new Set(names);
    const keys = new Map<string, string>();
    for (const [key, entry] of (await this.refresh())?.entries ?? [])
      if (wanted.has(entry.name) && certificateDirectoryName(key) === entry.name) keys.set(entry.name, key);
    return keys;
  }

  private append(line: IndexLine): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(line)}\n`, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.locks.withLock('certificate index', () => this.write(batch));
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.flushing = undefined;
  }

  /**
   * Under the lock: append the batch durably, then compact when the log has grown past twice the live entries.
   * The append is fsync'd through its own handle (`flush`); what it added is applied from memory, not read back.
   */
  private async write(batch: readonly Queued[]): Promise<void> {
    const loaded = await this.refreshOrRebuild();
    const { offset, size } = loaded;
    const text = (loaded.partialTail ? '\n' : '') + batch.map((item) => item.line).join('');
    try {
      await appendFile(this.path, text, { mode: 0o600, flush: true });
    } catch (error) {
      throw storeIoError('appending to the certificate index', this.path, error);
    }
    // As a read on from `offset` would: a torn tail, now ended by our newline, counts as a line, then ours.
    await this.whileReading(async () => {
      // A reader that read on since has applied the lines already.
      if (this.loaded !== loaded || loaded.offset !== offset || loaded.size !== size) return;
      for (const line of [...(loaded.partialTail ? [loaded.tail] : []), ...batch.map((item) => item.line)]) {
        loaded.lines += 1;
        apply(loaded.entries, line.endsWith('\n') ? line.slice(0, -1) : line);
      }
      loaded.offset = loaded.size + Buffer.byteLength(text);
      loaded.size = loaded.offset;
      loaded.partialTail = false;
      loaded.tail = '';
    });
    if (this.loaded === loaded && loaded.lines > 2 * loaded.entries.size + 1000)
      await this.compact(loaded.entries);
  }

  /** Under the lock: the log as it is, rebuilt from the certificate files first when there is none. */
  private async refreshOrRebuild(): Promise<Loaded> {
    const loaded = await this.refresh();
    if (loaded) return loaded;
    const entries = new Map<string, IndexEntry>();
    const names = await this.certificates.names();
    for (let from = 0; from < names.length; from += 64) {
      const records = await Promise.all(
        names.slice(from, from + 64).map((name) => this.certificates.readByName(name)),
      );
      for (const [i, record] of records.entries())
        if (record && certificateDirectoryName(record.key) === names[from + i])
          entries.set(record.key, entryOf(lineOf(record)));
    }
    await this.compact(entries);
    return (await this.refresh())!;
  }

  private async compact(entries: ReadonlyMap<string, IndexEntry>): Promise<void> {
    const lines = [...entries].map(([key, entry]) =>
      JSON.stringify(
        'pending' in entry
          ? { k: key, n: entry.name, p: 1 }
          : { k: key, n: entry.name, c: entry.checkAt, e: entry.notAfter },
      ),
    );
    await writeFileDurably(this.path, [headerLine(), ...lines].map((line) => `${line}\n`).join(''));
    this.loaded = undefined;
  }

  /** Bring the in-memory entries up to the file; `undefined` when there is no index file. */
  private refresh(): Promise<Loaded | undefined> {
    return this.whileReading(() => this.readOn());
  }

  /** Reads of the log (and changes to what was read) run one after the other. */
  private whileReading<T>(read: () => Promise<T>): Promise<T> {
    const next = this.reading.then(read);
    this.reading = next.catch(() => {});
    return next;
  }

  private async readOn(): Promise<Loaded | undefined> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw storeIoError('reading the certificate index', this.path, error);
    }
    try {
      const { size } = await handle.stat();
      const header = Buffer.alloc(headerLength);
      await handle.read(header, 0, headerLength, 0);
      const generation = header.toString('utf8');
      let loaded = this.loaded;
      // Compaction renames a new file over the log, with a new generation in its first line: read from the start.
      if (!loaded || loaded.generation !== generation || size < loaded.offset)
        loaded = {
          generation,
          offset: 0,
          partialTail: false,
          tail: '',
          size: 0,
          lines: 0,
          entries: new Map(),
        };
      if (size > loaded.offset) {
        const buffer = Buffer.alloc(size - loaded.offset);
        await handle.read(buffer, 0, buffer.length, loaded.offset);
        const end = buffer.lastIndexOf(10) + 1;
        for (const text of buffer.toString('utf8', 0, end).split('\n')) {
          if (text === '') continue;
          loaded.lines += 1;
          apply(loaded.entries, text);
        }
        loaded.offset += end;
        loaded.partialTail = end < buffer.length;
        loaded.tail = buffer.toString('utf8', end);
      }
      loaded.size = size;
      this.loaded = loaded;
      return loaded;
    } catch (error) {
      throw storeIoError('reading the certificate index', this.path, error);
    } finally {
      await handle.close();
    }
  }
}

/** The first line of every compacted index: a fresh generation, so a reader notices the file was replaced. */
function headerLine(): string {
  return JSON.stringify({ generation: randomBytes(8).toString('hex') });
}
const headerLength = headerLine().length;

function lineOf(record: CertificateRecord): IndexLine {
  return {
    k: record.key,
    n: certificateDirectoryName(record.key),
    c: certificateCheckAt(record),
    e: Date.parse(record.notAfter),
  };
}

function entryOf(line: IndexLine): IndexEntry {
  return line.p === 1 || line.c === undefined || line.e === undefined
    ? { name: line.n, pending: true }
    : { name: line.n, checkAt: line.c, notAfter: line.e };
}

/** One log line onto the entries; a line that is not whole JSON (torn by a kill, then followed) is skipped. */
function apply(entries: Map<string, IndexEntry>, text: string): void {
  let line: IndexLine;
  try {
    line = JSON.parse(text) as IndexLine;
  } catch {
    return;
  }
  if (typeof line.k !== 'string' || typeof line.n !== 'string') return;
  if (line.d === 1) entries.delete(line.k);
  else entries.set(line.k, entryOf(line));
}
