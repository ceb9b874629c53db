import {
  type AccountKeyAlgorithm,
  type AcmeClient,
  AcmeProblemError,
  CertkeeperError,
  type Clock,
  type DirectoryMeta,
  ErrorCodes,
  exportPrivateKeyPem,
  faultOf,
  generateAccountKey,
  importAccountKey,
  isAccountNotValidProblem,
  type Logger,
  preflight,
  silentLogger,
  systemClock,
} from '@certkeeper/core';
import type { AccountRecord, Store } from '@certkeeper/store';
import { accountClient } from './account-client.js';
import { hasUnsettledKey, settleAccountKey } from './account-key-settlement.js';
import { withAccountLease } from './account-lease.js';
import { AccountRegistry } from './account-registry.js';
import type { ManagerOptions } from './options.js';

/** What `certkeeper account show` prints: the stored record (never its key) and, when asked, the CA's view. */
export interface AccountSummary {
  readonly name: string;
  readonly directoryUrl: string;
  readonly accountUrl: string;
  readonly contact: readonly string[];
  readonly createdAt: string;
  readonly keyAlgorithm: AccountKeyAlgorithm;
  /** RFC 7638 thumbprint of the account's public key: identifies the key without revealing it. */
  readonly keyThumbprint: string;
  /** The account's status as the CA reports it; absent when the CA was not asked. */
  readonly status?: 'valid' | 'deactivated' | 'revoked';
  /** True while an interrupted key rollover awaits settling (the next command that asks the CA settles it). */
  readonly rolloverPending?: boolean;
}

/** The CA's view of the stored account: its status, or `unknown` when the CA does not know it (accountDoesNotExist). */
export type RemoteAccountStatus = 'valid' | 'deactivated' | 'revoked' | 'unknown';

/** What `account register --new` tells: the new account, and the one it replaced (if any). */
export type NewAccountSummary = AccountSummary & {
  readonly created: true;
  readonly replaced?: { readonly accountUrl: string; readonly status: RemoteAccountStatus };
};

export interface AccountOperationsOptions {
  readonly options: ManagerOptions;
  readonly store: Store;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * Account management for the CLI's `account` command: register, show, roll the key over, deactivate. Works on the
 * same stored account the manager uses (name `options.account.name`, default "default"), so a key rolled over here
 * is the key the next `renew` signs with. Every operation that asks the CA first settles an interrupted rollover
 * ({@link settleAccountKey}), so it signs with the key the CA holds.
 */
export class AccountOperations {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly name: string;

  constructor(private readonly deps: AccountOperationsOptions) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.name = deps.options.account?.name ?? 'default';
  }

  /**
   * Register the account at the CA if the store has none (storing its key first), or confirm the stored one with
   * the CA (one POST-as-GET): an account the CA deactivated, revoked or does not know is an error whose hint is
   * `account register --new`, not "already registered". Updates the contact at the CA when the configured contact
   * differs from the stored one.
   */
  async register(signal?: AbortSignal): Promise<AccountSummary & { readonly created: boolean }> {
    const before = await this.stored();
    if (before?.accountUrl) {
      const { record, status } = await this.remoteStatus(signal);
      if (status !== 'valid') throw this.notUsable(record, status);
    }
    const registry = new AccountRegistry(this.deps.options, this.deps.store, this.clock, this.logger);
    try {
      const { client } = await registry.client();
      let record = await this.required();
      const contact = this.deps.options.account?.contact;
      if (before?.accountUrl && contact && !sameList(contact, record.contact)) {
        preflight({ identifiers: [], solvers: [], contact });
        await client.accounts.updateContact(contact, signal);
        record = { ...record, contact: [...contact] };
        await this.deps.store.putAccount(record);
      }
      return { ...(await summarize(record)), created: !before?.accountUrl };
    } finally {
      await registry.close();
    }
  }

  /**
   * Register a NEW account key at the CA and make it the stored account, for an account the CA deactivated, revoked
   * or forgot (accountDoesNotExist); refused while the CA still accepts the stored one (`rollover` replaces a key).
   * Crash-safe like a first registration: under the account lease the new key is stored, without an account URL,
   * before the CA is asked; the registration itself is {@link AccountRegistry}'s, which registers a stored key
   * without URL — so a run killed after the CA answered finds the same account with the same key next time.
   */
  async registerNew(signal?: AbortSignal): Promise<NewAccountSummary> {
    const replaced = await withAccountLease(
      this.deps.store,
      this.account,
      async () => {
        const before = await this.stored();
        let status: RemoteAccountStatus | undefined;
        if (before?.accountUrl) {
          ({ status } = await this.remoteStatus(signal, true));
          if (status === 'valid')
            throw new CertkeeperError(
              ErrorCodes.INVALID_OPTION,
              `The CA still accepts account "${this.name}" (${before.accountUrl}) at ${this.deps.options.directoryUrl}: a new account would abandon it. Nothing was done.`,
              {
                hint: '`certkeeper account rollover` replaces a compromised key and keeps the account; `certkeeper account deactivate --yes` first if you mean to leave it.',
              },
            );
        }
        // A key stored without URL is an interrupted registration (this one's or a first one's): register that
        // key, not another — the CA may already hold an account for it.
        if (before && !before.accountUrl) return undefined;
        const key = await generateAccountKey(this.deps.options.account?.keyAlgorithm);
        const keyPem = exportPrivateKeyPem(key);
        await this.deps.store.putAccount({
          name: this.name,
          directoryUrl: this.deps.options.directoryUrl,
          accountUrl: '',
          keyPem,
          contact: [...(this.deps.options.account?.contact ?? before?.contact ?? [])],
          createdAt: this.clock.now().toISOString(),
        });
        // An older version's rollover record holding the old key would read as a rollover to settle.
        const legacy = await this.deps.store.getAccount(
          this.deps.options.directoryUrl,
          `${this.name}#rollover`,
        );
        if (legacy) await this.deps.store.putAccount({ ...legacy, keyPem });
        return before?.accountUrl && status ? { accountUrl: before.accountUrl, status } : undefined;
      },
      { wait: true },
    );
    const registry = new AccountRegistry(this.deps.options, this.deps.store, this.clock, this.logger);
    try {
      await registry.client();
    } finally {
      await registry.close();
    }
    const record = await this.required();
    this.logger.info(
      { accountUrl: record.accountUrl, ...(replaced ? { replaced: replaced.accountUrl } : {}) },
      'registered a new ACME account in place of the stored one',
    );
    return { ...(await summarize(record)), created: true, ...(replaced ? { replaced } : {}) };
  }

  /**
   * What the CA says of the stored account (after settling an interrupted rollover): one POST-as-GET. A CA refuses
   * requests of a deactivated account with `unauthorized` (RFC 8555 §7.3.6), recognised by its wording.
   */
  async remoteStatus(
    signal?: AbortSignal,
    leaseHeld = false,
  ): Promise<{ record: AccountRecord; status: RemoteAccountStatus }> {
    const record = await this.settled(signal, leaseHeld);
    const client = await this.client(record);
    try {
      return { record, status: (await client.accounts.get(signal)).status };
    } catch (error) {
      // (AcmeProblemError subclasses share one isInstance: the type tells them apart.)
      if (AcmeProblemError.isInstance(error) && error.type === 'accountDoesNotExist')
        return { record, status: 'unknown' };
      if (AcmeProblemError.isInstance(error) && isAccountNotValidProblem(error.type, error.detail))
        return { record, status: /revoked/i.test(error.detail ?? '') ? 'revoked' : 'deactivated' };
      throw error;
    } finally {
      await client.close();
    }
  }

  private notUsable(record: AccountRecord, status: Exclude<RemoteAccountStatus, 'valid'>): CertkeeperError {
    const what = status === 'unknown' ? 'unknown to the CA' : `${status} at the CA`;
    return new CertkeeperError(
      ErrorCodes.ACCOUNT_DOES_NOT_EXIST,
      `The stored account "${this.name}" (${record.accountUrl}) is ${what} ${this.deps.options.directoryUrl}: no certificate can be ordered with it.`,
      {
        hint: '`certkeeper account register --new` registers a new account key and replaces the stored account; certificates of the config are then renewed under it.',
      },
    );
  }

  /**
   * The stored account, with the CA's status when `remote` (one POST-as-GET, after settling an interrupted
   * rollover). Undefined when none is stored.
   */
  async show(options: { remote?: boolean; signal?: AbortSignal } = {}): Promise<AccountSummary | undefined> {
    const stored = await this.stored();
    if (!stored?.accountUrl) return undefined;
    if (!options.remote) return summarize(stored);
    const record = await this.settled(options.signal);
    const summary = await summarize(record);
    const client = await this.client(record);
    try {
      const account = await client.accounts.get(options.signal);
      return { ...summary, status: account.status, contact: account.contact ?? summary.contact };
    } finally {
      await client.close();
    }
  }

  /**
   * Replace the account key (RFC 8555 §7.3.5), so that a kill at any instruction leaves a store the next command
   * works with. Under the account lease: the new key is stored beside the old one (`pendingKeyPem`) BEFORE the CA
   * is asked; after the CA's answer it becomes the only key. Interrupted in between, the store holds both keys, the
   * CA one of them, and the next command adopts the one the CA accepts ({@link settleAccountKey}).
   */
  async rollover(algorithm?: AccountKeyAlgorithm, signal?: AbortSignal): Promise<AccountSummary> {
    return withAccountLease(
      this.deps.store,
      this.account,
      async () => {
        const current = await this.settled(signal, true);
        const newKey = await generateAccountKey(algorithm ?? this.deps.options.account?.keyAlgorithm);
        const newKeyPem = exportPrivateKeyPem(newKey);
        await this.deps.store.putAccount({ ...current, pendingKeyPem: newKeyPem });
        const client = await this.client(current);
        try {
          await client.accounts.rolloverKey(newKey, signal);
        } catch (error) {
          // The CA answered (refused this keyChange, or a retry of one it had applied): settle now. Without an
          // answer the keyChange may still be processed, so the next command settles it, not this one.
          if (faultOf(error) === 'ca') await this.settled(signal, true).catch(() => undefined);
          throw error;
        } finally {
          await client.close();
        }
        const updated: AccountRecord = { ...withoutPendingKey(current), keyPem: newKeyPem };
        await this.deps.store.putAccount(updated);
        this.logger.info(
          { accountUrl: current.accountUrl, thumbprint: newKey.thumbprint },
          'account key rolled over',
        );
        return summarize(updated);
      },
      { wait: true },
    );
  }

  /**
   * Deactivate the account at the CA (RFC 8555 §7.3.6). Irreversible: the CA refuses every later request signed
   * with it, so the manager's next order fails until another account is configured (`account.name`).
   */
  async deactivate(signal?: AbortSignal): Promise<AccountSummary> {
    const record = await this.settled(signal);
    const client = await this.client(record);
    try {
      const account = await client.accounts.deactivate(signal);
      return { ...(await summarize(record)), status: account.status };
    } finally {
      await client.close();
    }
  }

  private get account() {
    return { directoryUrl: this.deps.options.directoryUrl, name: this.name };
  }

  /**
   * The stored account with an interrupted rollover settled. `leaseHeld`: the caller holds the account lease, so an
   * unconfirmed key may be discarded; otherwise the lease is tried once.
   */
  private async settled(signal?: AbortSignal, leaseHeld = false): Promise<AccountRecord> {
    const record = await this.required();
    if (!(await hasUnsettledKey(this.account, this.deps.store))) return record;
    const settle = (mayDiscard: boolean) =>
      settleAccountKey(
        this.account,
        {
          store: this.deps.store,
          logger: this.logger,
          clientFor: (key) =>
            accountClient(this.deps.options, { clock: this.clock, logger: this.logger }, key),
        },
        { mayDiscard, ...(signal ? { signal } : {}) },
      );
    const settled = leaseHeld
      ? await settle(true)
      : await withAccountLease(this.deps.store, this.account, settle, { wait: false });
    return settled ?? record;
  }

  /**
   * The CA's directory `meta` (one GET, signed by nothing): `caaIdentities` are the issuer domain names a
   * dns-persist-01 record names (draft-ietf-acme-dns-persist-00; Pebble puts the same list in its challenges).
   */
  async directoryMeta(signal?: AbortSignal): Promise<DirectoryMeta> {
    const record = await this.required();
    const client = await this.client(record);
    try {
      return (await client.directory(signal)).meta ?? {};
    } finally {
      await client.close();
    }
  }

  private async stored(): Promise<AccountRecord | undefined> {
    return this.deps.store.getAccount(this.deps.options.directoryUrl, this.name);
  }

  private async required(): Promise<AccountRecord> {
    const record = await this.stored();
    if (!record?.accountUrl) {
      throw new CertkeeperError(
        ErrorCodes.NOT_FOUND,
        `No account "${this.name}" is stored for ${this.deps.options.directoryUrl}.`,
        {
          hint: 'register one first (certkeeper account register), or check the CA and the store directory.',
        },
      );
    }
    return record;
  }

  private async client(record: AccountRecord): Promise<AcmeClient> {
    return accountClient(
      this.deps.options,
      { clock: this.clock, logger: this.logger },
      await importAccountKey(record.keyPem),
      record.accountUrl,
    );
  }
}

function withoutPendingKey(record: AccountRecord): AccountRecord {
  const { pendingKeyPem: _, ...rest } = record;
  return rest;
}

async function summarize(record: AccountRecord): Promise<AccountSummary> {
  const key = await importAccountKey(record.keyPem);
  return {
    name: record.name,
    directoryUrl: record.directoryUrl,
    accountUrl: record.accountUrl,
    contact: record.contact,
    createdAt: record.createdAt,
    keyAlgorithm: key.alg,
    keyThumbprint: key.thumbprint,
    ...(record.pendingKeyPem ? { rolloverPending: true } : {}),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
