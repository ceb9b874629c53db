import { sleep } from '@certkeeper/core';
import { leaseHolderId, type Store } from '@certkeeper/store';

const ACCOUNT_LEASE_TTL_MS = 60_000;

/**
 * Run `work` holding the store lease on one account (registration, key rollover, settling an interrupted
 * rollover), so workers on one store never register twice or roll a key over at once. With `wait`, wait for the
 * lease; without, try once and tell `work` whether it holds it. `work` MUST re-read the account ("lock, then
 * re-check"): another holder may have just changed it.
 */
export async function withAccountLease<T>(
  store: Store,
  account: { readonly directoryUrl: string; readonly name: string },
  work: (held: boolean) => Promise<T>,
  options: { readonly wait: boolean; readonly holder?: string },
): Promise<T> {
  const name = `account|${account.directoryUrl}|${account.name}`;
  // A holder the store can prove dead: a run killed while registering or rolling over does not stall the next one.
  const holder = options.holder ?? leaseHolderId();
  let lease = await store.acquireLease(name, holder, ACCOUNT_LEASE_TTL_MS);
  while (!lease && options.wait) {
    await sleep(100);
    lease = await store.acquireLease(name, holder, ACCOUNT_LEASE_TTL_MS);
  }
  try {
    return await work(lease !== undefined);
  } finally {
    if (lease) await store.releaseLease(lease).catch(() => undefined);
  }
}
