/**
 * The values computed most recently, by key, oldest first, at most `capacity` of them: a value is computed once
 * while its key stays among the last `capacity` used. For work that gives the same answer for the same bytes (a
 * certificate's reading, a signature's check), which one issuance repeats and a renewal run repeats per
 * certificate for the intermediate they all share.
 */
export class RecentValues<V> {
  readonly #values = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  /** The value kept for `key`, else `compute()`'s, then kept (a throw keeps nothing). */
  get(key: string, compute: () => V): V {
    let value = this.#values.get(key);
    if (value !== undefined || this.#values.has(key)) {
      this.#values.delete(key); // used again: it goes to the newest end
    } else {
      value = compute();
      if (this.#values.size >= this.capacity) this.#values.delete(this.#values.keys().next().value!);
    }
    this.#values.set(key, value as V);
    return value as V;
  }
}
