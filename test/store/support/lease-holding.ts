import { leaseHolderId, type Store } from '@certkeeper/store';

export interface LeaseHoldingOptions {
  readonly name: string;
  readonly ttlMs: number;
  /** Stand for another machine: the holder id names this host instead of ours. */
  readonly host?: string;
}

const holderFor = (host: string | undefined) =>
  leaseHolderId({ description: 'test holder', ...(host ? { host } : {}) });

/**
 * Take the lease and keep this process alive holding it (never renewed, never released) until killed. Prints
 * `held <token> <expiresAt> <holder>`.
 */
export async function holdLease(
  store: Store,
  options: LeaseHoldingOptions,
  say: (line: string) => void,
): Promise<never> {
  const holder = holderFor(options.host);
  const lease = await store.acquireLease(options.name, holder, options.ttlMs);
  if (!lease) throw new Error(`the lease "${options.name}" was not free`);
  say(`held ${lease.token} ${lease.expiresAt} ${holder}`);
  setInterval(() => {}, 60_000);
  return new Promise<never>(() => {});
}

/** Try for the lease every 50 ms until it is ours; prints `took <token> <epoch ms>`. */
export async function waitForLease(
  store: Store,
  options: LeaseHoldingOptions,
  say: (line: string) => void,
): Promise<void> {
  const holder = holderFor(options.host);
  say('waiting');
  for (;;) {
    const lease = await store.acquireLease(options.name, holder, options.ttlMs);
    if (lease) {
      say(`took ${lease.token} ${Date.now()}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
