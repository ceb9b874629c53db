import type { Store } from '@certkeeper/store';

/** What a backend author hands the kit: a store to exercise, and how to tidy up after it. */
export interface StoreConformanceSubject {
  readonly store: Store;
  /**
   * Called after every case, also after a failure. It SHOULD remove the case's data; it MUST tolerate a store
   * that the case already closed (the durability case closes it).
   */
  readonly cleanup?: () => Promise<void>;
  /**
   * Open a new store on the same data, after the case closed `store`. Required by the durability case unless
   * declared not applicable (an in-memory store keeps nothing).
   */
  readonly reopen?: () => Promise<Store>;
}

export type StoreConformanceFactory = () => StoreConformanceSubject | Promise<StoreConformanceSubject>;

/**
 * Cases a backend cannot take part in, each with the reason (shown in the suite title). Only a backend that
 * keeps nothing across `close()` may declare durability not applicable.
 */
export interface StoreConformanceOptions {
  readonly notApplicable?: { readonly durability?: string };
  /** Per-case time limit. Default 30 s. */
  readonly timeoutMs?: number;
}
