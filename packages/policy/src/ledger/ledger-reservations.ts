import type { LedgerEvent, Store } from '@certkeeper/store';

/**
 * What the ledgers of one store in this process have admitted and not recorded yet: a new order about to be placed,
 * a certificate about to be issued. Several certificates in flight at once (`renew --concurrency`) each check the
 * ledger before ordering; counting the admitted work as if it were recorded keeps them from all taking the last
 * token of one limit. Admissions run one at a time (a check is a store read: milliseconds), so the count is exact
 * within a process; across processes the CA's own answer remains the backstop, as before.
 */
export class LedgerReservations {
  private readonly held = new Set<LedgerEvent>();
  private queue: Promise<unknown> = Promise.resolve();

  /** One per store: every ledger (every manager) on it in this process sees the same reservations. */
  static of(store: Store): LedgerReservations {
    let reservations = byStore.get(store);
    if (!reservations) {
      reservations = new LedgerReservations();
      byStore.set(store, reservations);
    }
    return reservations;
  }

  /** The held events of one CA, to count with the stored ones. */
  heldFor(directoryUrl: string): LedgerEvent[] {
    return [...this.held].filter((event) => event.directoryUrl === directoryUrl);
  }

  /** Run `admit` after every admission before it (a check followed by holding what it allowed). */
  serialized<T>(admit: () => Promise<T>): Promise<T> {
    const run = this.queue.then(admit, admit);
    this.queue = run.catch(() => undefined);
    return run;
  }

  hold(event: LedgerEvent): () => void {
    this.held.add(event);
    return () => {
      this.held.delete(event);
    };
  }
}

const byStore = new WeakMap<Store, LedgerReservations>();
