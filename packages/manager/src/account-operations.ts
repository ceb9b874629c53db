import {
  type AccountKey,
  type AccountKeyAlgorithm,
  AcmeClient,
  CertkeeperError,
  type Clock,
  ErrorCodes,
  exportPrivateKeyPem,
  generateAccountKey,
  importAccountKey,
  type Logger,
  silentLogger,
  systemClock,
} from '@certkeeper/core';
import type { AccountRecord, Store } from '@certkeeper/store';
import { AccountRegistry } from './account-registry.js';
import { clientOptionsOf } from './client-options.js';
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
}

export interface AccountOperationsOptions {
  readonly options: ManagerOptions;
  readonly store: Store;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Suffix of the store record holding a new key while a rollover is in flight (see {@link AccountOperations.rollover}). */
const ROLLOVER_SUFFIX = '#rollover';

/**
 * Account management for the CLI's `account` command: register, show, roll the key over, deactivate. Works on the
 * same stored account the manager uses (name `options.account.name`, default "default"), so a key rolled over here
 * is the key the next `renew` signs with.
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
   * Register the account at the CA if the store has none (storing its key first), or confirm the stored one.
   * Idempotent: a second call sends nothing when the account is stored. Updates the contact at the CA when the
   * configured contact differs from the stored one.
   */
  async register(signal?: AbortSignal): Promise<AccountSummary & { readonly created: boolean }> {
    const before = await this.stored();
    const registry = new AccountRegistry(this.deps.options, this.deps.store, this.clock, this.logger);
    try {
      const { client } = await registry.client();
      let record = await this.required();
      const contact = this.deps.options.account?.contact;
      if (before?.accountUrl && contact && !sameList(contact, record.contact)) {
        await client.accounts.updateContact(contact, signal);
        record = { ...record, contact: [...contact] };
        await this.deps.store.putAccount(record);
      }
      return { ...(await summarize(record)), created: !before?.accountUrl };
    } finally {
      await registry.close();
    }
  }

  /** The stored account, with the CA's status when `remote` (one POST-as-GET). Undefined when none is stored. */
  async show(options: { remote?: boolean; signal?: AbortSignal } = {}): Promise<AccountSummary | undefined> {
    const record = await this.stored();
    if (!record?.accountUrl) return undefined;
    const summary = await summarize(record);
    if (!options.remote) return summary;
    const client = await this.client(record);
    try {
      const account = await client.accounts.get(options.signal);
      return { ...summary, status: account.status, contact: account.contact ?? summary.contact };
    } finally {
      await client.close();
    }
  }

  /**
   * Replace the account key (RFC 8555 §7.3.5). The new key is stored under `<name>#rollover` BEFORE the CA is
   * asked, so a crash between the CA's switch and the store write never loses the only key the CA accepts: the
   * next rollover (or `register`) finds it and adopts it if the CA already knows it.
   */
  async rollover(algorithm?: AccountKeyAlgorithm, signal?: AbortSignal): Promise<AccountSummary> {
    const record = await this.required();
    await this.adoptInterruptedRollover(record, signal);
    const current = await this.required();
    const newKey = await generateAccountKey(algorithm ?? this.deps.options.account?.keyAlgorithm);
    await this.deps.store.putAccount({
      ...current,
      name: `${this.name}${ROLLOVER_SUFFIX}`,
      keyPem: exportPrivateKeyPem(newKey),
    });
    const client = await this.client(current);
    try {
      await client.accounts.rolloverKey(newKey, signal);
    } finally {
      await client.close();
    }
    const updated: AccountRecord = { ...current, keyPem: exportPrivateKeyPem(newKey) };
    await this.deps.store.putAccount(updated);
    this.logger.info(
      { accountUrl: current.accountUrl, thumbprint: newKey.thumbprint },
      'account key rolled over',
    );
    return summarize(updated);
  }

  /**
   * Deactivate the account at the CA (RFC 8555 §7.3.6). Irreversible: the CA refuses every later request signed
   * with it, so the manager's next order fails until another account is configured (`account.name`).
   */
  async deactivate(signal?: AbortSignal): Promise<AccountSummary> {
    const record = await this.required();
    const client = await this.client(record);
    try {
      const account = await client.accounts.deactivate(signal);
      return { ...(await summarize(record)), status: account.status };
    } finally {
      await client.close();
    }
  }

  private async adoptInterruptedRollover(record: AccountRecord, signal?: AbortSignal): Promise<void> {
    const pending = await this.deps.store.getAccount(record.directoryUrl, `${this.name}${ROLLOVER_SUFFIX}`);
    if (!pending || pending.keyPem === record.keyPem) return;
    const probe = new AcmeClient({
      ...this.clientOptions(),
      accountKey: await importAccountKey(pending.keyPem),
    });
    try {
      const found = await probe.accounts.find(signal);
      if (found?.url === record.accountUrl) {
        await this.deps.store.putAccount({ ...record, keyPem: pending.keyPem });
        this.logger.warn(
          { accountUrl: record.accountUrl },
          'adopted the key of an interrupted rollover (the CA had already switched to it)',
        );
      }
    } finally {
      await probe.close();
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
    const accountKey: AccountKey = await importAccountKey(record.keyPem);
    return new AcmeClient({ ...this.clientOptions(), accountKey, accountUrl: record.accountUrl });
  }

  private clientOptions() {
    return clientOptionsOf(this.deps.options, { clock: this.clock, logger: this.logger });
  }
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
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
