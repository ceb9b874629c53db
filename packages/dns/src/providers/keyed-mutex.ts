/**
 * Serialises async sections per key within one process. Providers whose API can only replace a whole name's values
 * (Route 53, PowerDNS) or that read before they write (RFC 2136 deletes) use it so two concurrent read-modify-write
 * calls at one name cannot lose a value. Other processes need the API's own guard (an exact DELETE in a change batch).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    return this.runAll([key], section);
  }

  /** Runs `section` once every earlier section of every key in `keys` has settled. */
  async runAll<T>(keys: readonly string[], section: () => Promise<T>): Promise<T> {
    // Every key is claimed in the same synchronous step, so a section only ever waits for sections registered
    // before it: callers locking overlapping key sets cannot wait on each other in a cycle.
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
