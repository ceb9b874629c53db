/**
 * Serialises async sections per key inside one process. Route 53 can only replace a name's whole TXT set, so two
 * read-modify-write sections at one name must not interleave; other processes are handled by the change batch's
 * exact DELETE (see record-set-writer.ts). `@certkeeper/dns` has the same helper but does not export it.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `section` once every earlier section of every key in `keys` has settled. */
  async runAll<T>(keys: readonly string[], section: () => Promise<T>): Promise<T> {
    // Every key is claimed in the same synchronous step, so a section only ever waits for sections registered
    // before it: callers locking overlapping name sets cannot wait on each other in a cycle.
    const ordered = [...new Set(keys)];
    const previous = Promise.allSettled(ordered.map((key) => this.tails.get(key) ?? Promise.resolve()));
    const current = previous.then(section);
    const settled = current.catch(() => undefined);
    for (const key of ordered) this.tails.set(key, settled);
    try {
      return await current;
    } finally {
      for (const key of ordered) if (this.tails.get(key) === settled) this.tails.delete(key);
    }
  }
}
