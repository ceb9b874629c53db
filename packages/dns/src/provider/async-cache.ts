/**
 * Caches one lookup per key for the owner's lifetime (a provider's zone ids). Concurrent callers share one lookup; a
 * failed lookup is not cached, so the next call asks again (the zone may have been created meanwhile).
 */
export class AsyncCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const loading = load();
    this.entries.set(key, loading);
    loading.catch(() => this.entries.delete(key));
    return loading;
  }

  /** Fill the cache with a value already known (ids that came with a listing). */
  set(key: string, value: V): void {
    this.entries.set(key, Promise.resolve(value));
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
