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
  if (!record?.pendingKeyPem || !record.accountUrl) return record;
  const { pendingKeyPem, ...settled } = record;
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
  deps.logger.info(
    { accountUrl: record.accountUrl, ...(found ? { pendingKeyAccount: found.url } : {}) },
    'discarded the unconfirmed key of an interrupted key rollover: the CA still holds the current key',
  );
  return settled;
}
