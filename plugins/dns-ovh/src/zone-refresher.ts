/**
 * Coalesces zone refreshes. OVH applies record changes to the served zone only on `POST /domain/zone/{zone}/refresh`;
 * each change needs a refresh that *starts after* it. Callers that ask while a refresh runs share the one queued
 * behind it; callers that ask before it starts share it — so N concurrent creates cost one or two refreshes, not N.
 */
export class ZoneRefresher {
  private readonly queued = new Map<string, Promise<void>>();
  private readonly running = new Map<string, Promise<void>>();

  request(zone: string, refresh: () => Promise<void>): Promise<void> {
    const waiting = this.queued.get(zone);
    if (waiting) return waiting;
    const before = this.running.get(zone) ?? Promise.resolve();
    const next = before
      .catch(() => undefined)
      .then(() => {
        this.queued.delete(zone);
        const current = refresh();
        this.running.set(zone, current);
        return current.finally(() => {
          if (this.running.get(zone) === current) this.running.delete(zone);
        });
      });
    this.queued.set(zone, next);
    return next;
  }
}
