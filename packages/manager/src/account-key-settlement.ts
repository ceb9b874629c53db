import { type AccountKey, type AcmeClient, importAccountKey, type Logger } from '@certkeeper/core';
import type { AccountRecord, Store } from '@certkeeper/store';

export interface KeySettlementDeps {
  readonly store: Store;
  readonly logger: Logger;
  /** A client of the CA signing with `key`, without an account URL (to look the account up by key). */
  readonly clientFor: (key: AccountKey) => AcmeClient;
}

/**
 * Settle an account key rollover that was interrupted (RFC 8555 §7.3.5): the store holds the old key and, as
 * `pendingKeyPem`, the new one, and the CA holds one of them — which one depends on whether the keyChange reached it.
 * One lookup decides, signed with the pending key (newAccount with `onlyReturnExisting`, §7.3.1, so no request is
 * ever signed with a key the CA may have dropped): if the CA knows the pending key as this account, it is adopted;
 * if not, the CA still holds the old key and the pending one is discarded. Either way the record written holds the
 * one key the CA accepts.
 *
 * Discarding is only safe for a caller holding the account lease (`mayDiscard`): without it a live rollover may be
 * about to send its keyChange. Adopting is always safe: the CA already answered with the pending key.
 *
 * Re-reads the record (the caller may have waited for the lease); returns it as stored afterwards. A network error
 * or an unexpected answer is thrown and the record left as it was: the next command tries again.
 */
export async function settleAccountKey(
  account: { readonly directoryUrl: string; readonly name: string },
  deps: KeySettlementDeps,
  options: { readonly mayDiscard: boolean; readonly signal?: AbortSignal },
): Promise<AccountRecord | undefined> {
  const record = await deps.store.getAccount(account.directoryUrl, account.name);
  if (!record?.accountUrl) return record;
  const legacy = record.pendingKeyPem ? undefined : await legacyRolloverRecord(account, deps.store);
  const pendingKeyPem =
    record.pendingKeyPem ?? (legacy?.keyPem !== record.keyPem ? legacy?.keyPem : undefined);
  if (!pendingKeyPem) return record;
  const { pendingKeyPem: _, ...settled } = record;
  const probe = deps.clientFor(await importAccountKey(pendingKeyPem));
  let found: Awaited<ReturnType<AcmeClient['accounts']['find']>>;
  try {
    found = await probe.accounts.find(options.signal);
  } finally {
    await probe.close();
  }
  if (found?.url === record.accountUrl) {
    const adopted: AccountRecord = { ...settled, keyPem: pendingKeyPem };
    await deps.store.putAccount(adopted);
    deps.logger.warn(
      { accountUrl: record.accountUrl },
      'adopted the new key of an interrupted key rollover: the CA had switched to it',
    );
    return adopted;
  }
  if (!options.mayDiscard) return record;
  await deps.store.putAccount(settled);
  // The leftover record of an older version cannot be deleted (the Store port has no deleteAccount): make it hold the
  // CA's key, so it is never mistaken for a pending one again.
  if (legacy) await deps.store.putAccount({ ...legacy, keyPem: settled.keyPem });
  deps.logger.info(
    { accountUrl: record.accountUrl, ...(found ? { pendingKeyAccount: found.url } : {}) },
    'discarded the unconfirmed key of an interrupted key rollover: the CA still holds the current key',
  );
  return settled;
}

/**
 * Whether the stored account has a key to settle: a pending key, or the different key of an older version's
 * rollover record. Reads the store only.
 */
export async function hasUnsettledKey(
  account: { readonly directoryUrl: string; readonly name: string },
  store: Store,
): Promise<boolean> {
  const record = await store.getAccount(account.directoryUrl, account.name);
  if (!record?.accountUrl) return false;
  if (record.pendingKeyPem) return true;
  const legacy = await legacyRolloverRecord(account, store);
  return legacy !== undefined && legacy.keyPem !== record.keyPem;
}

/**
 * Before `pendingKeyPem`, a rollover stored its new key as an account record of its own, `<name>#rollover`, before
 * asking the CA, and never removed it. A store left by an interrupted rollover of that version holds the CA's key
 * there only.
 */
function legacyRolloverRecord(
  account: { readonly directoryUrl: string; readonly name: string },
  store: Store,
): Promise<AccountRecord | undefined> {
  return store.getAccount(account.directoryUrl, `${account.name}#rollover`);
}
