import { abortable } from '@certkeeper/core';

/**
 * Concurrent calls with one key share one execution: the first caller runs `work`, every caller that arrives while
 * it runs gets the same promise. In one process only; across processes the store's lease does the same.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /**
   * `joined` is true for every caller but the one that started the work. A joiner whose `signal` fires stops
   * waiting at once (the work goes on for the others); the starter's work is expected to honour its own signal.
   */
  async run(
    key: string,
    work: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<{ result: T; joined: boolean }> {
    const existing = this.running.get(key);
    if (existing)
      return { result: await abortable(existing, signal, `Waiting for the flow ${key}`), joined: true };
    const started = work().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return { result: await started, joined: false };
  }

  get size(): number {
    return this.running.size;
  }
}
