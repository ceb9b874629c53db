import { setTimeout as delay } from 'node:timers/promises';
import type { StatusReport } from '@certkeeper/manager';
import { type StatusSnapshot, snapshotOf } from './status-snapshot.js';

export interface SnapshotCacheOptions {
  /** Builds a fresh report from the store (the daemon: buildStatusReport). */
  readonly report: () => Promise<StatusReport>;
  /** Rebuild at least this often even without a change (default 30 s: budgets refill, certificates fall due). */
  readonly maxAgeMs?: number;
  /**
   * Rebuild at most this often (default 1 s; longer after a slow build): a burst of events or requests costs one
   * build.
   */
  readonly minIntervalMs?: number;
  readonly now?: () => number;
}

/**
 * The latest status snapshot, rebuilt on demand when it is stale and never by two callers at once: a report of
 * 10 000 certificates reads the store 50 000 times, so every request and every event cannot each cost one.
 */
export class SnapshotCache {
  private current: { snapshot: StatusSnapshot; builtAt: number; buildMs: number } | undefined;
  /** The build under way, and the invalidation it started after: one started before a later change is outdated. */
  private building: { promise: Promise<StatusSnapshot>; generation: number } | undefined;
  private generation = 0;
  private stale = true;
  private readonly maxAgeMs: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SnapshotCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Something in the store changed: the next `get` rebuilds (no sooner than minIntervalMs after the last). */
  invalidate(): void {
    this.stale = true;
    this.generation++;
  }

  /** The last snapshot built, without waiting for anything. */
  peek(): StatusSnapshot | undefined {
    return this.current?.snapshot;
  }

  /** The snapshot, current as of the last invalidation (waiting for a build when it is stale). */
  async get(): Promise<StatusSnapshot> {
    const current = this.current;
    if (current && !this.stale && this.now() - current.builtAt < this.maxAgeMs) return current.snapshot;
    if (this.building?.generation === this.generation) return this.building.promise;
    // A build that began before the latest change may have read the store before it: answering with it would show
    // the page what the change replaced, and no later event would correct it. Build again once it is done.
    const before = this.building?.promise.catch(() => undefined);
    const generation = this.generation;
    const promise = (async () => {
      await before;
      // A build of a large store takes a while: wait four times as long between builds, so the page never costs
      // the daemon more than a fifth of its time however often the store changes.
      const last = this.current;
      const interval = Math.max(this.minIntervalMs, 4 * (last?.buildMs ?? 0));
      return this.build(last ? Math.max(0, interval - (this.now() - last.builtAt)) : 0);
    })().finally(() => {
      if (this.building?.promise === promise) this.building = undefined;
    });
    this.building = { promise, generation };
    return promise;
  }

  private async build(waitMs: number): Promise<StatusSnapshot> {
    if (waitMs > 0) await delay(waitMs);
    const startedAt = this.now();
    this.stale = false;
    try {
      const snapshot = snapshotOf(await this.options.report());
      this.current = { snapshot, builtAt: startedAt, buildMs: this.now() - startedAt };
      return snapshot;
    } catch (error) {
      this.stale = true;
      // A store hiccup: keep showing what was last known rather than nothing.
      if (this.current) return this.current.snapshot;
      throw error;
    }
  }
}
