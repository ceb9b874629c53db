/**
 * Serialises async sections per key within this process. Used so that a delete's "was it there?" read and the
 * delete itself are not interleaved with another call for the same name (the server applies each UPDATE
 * atomically; only the boolean result needs this).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(section);
    this.tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}
