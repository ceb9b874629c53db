import {
  type AccountKey,
  type AcmeClient,
  type Clock,
  exportPrivateKeyPem,
  generateAccountKey,
  importAccountKey,
  type Logger,
  preflight,
} from '@certkeeper/core';
import { type AccountRecord, leaseHolderId, type Store } from '@certkeeper/store';
import { accountClient } from './account-client.js';
import { hasUnsettledKey, settleAccountKey } from './account-key-settlement.js';
import { withAccountLease } from './account-lease.js';
import type { ManagerOptions } from './options.js';

interface Session {
  readonly client: AcmeClient;
  readonly accountUrl: string;
  /** The stored key and pending key this session was opened from, to notice another process changing them. */
  readonly keyPem: string;
  readonly pendingKeyPem: string | undefined;
}

/**
 * The manager's ACME account: loaded from the store, or registered once and stored (key included) so a restart,
 * another worker or a rebuilt machine with the same store uses the same account. Opening it settles an interrupted
 * key rollover first (the CA holds one of two stored keys: {@link settleAccountKey}); a session notices when another
 * process changed the stored key (`certkeeper account rollover` beside a daemon) and opens again with the new one.
 */
export class AccountRegistry {
  private session: Promise<Session> | undefined;
  private readonly retired: Promise<Session>[] = [];
  /** Who takes the account's lease: a holder id the store can prove dead, so a killed run does not stall the next. */
  private readonly holder: string;

  constructor(
    private readonly options: ManagerOptions,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.holder = leaseHolderId(options.leaseHolder ?? {});
  }

  /** The client for the account, registering it on first use (concurrent callers share one registration). */
  async client(): Promise<Session> {
    const opened = this.opened();
    const session = await opened;
    const stored = await this.store.getAccount(this.options.directoryUrl, this.name);
    if (
      !stored?.accountUrl ||
      (stored.keyPem === session.keyPem &&
        stored.pendingKeyPem === session.pendingKeyPem &&
        stored.accountUrl === session.accountUrl)
    )
      return session;
    if (this.session === opened) {
      this.retired.push(opened);
      this.session = undefined;
    }
    return this.opened();
  }

  /**
   * Close the sessions' connections. Safe to call again (a registry shared by several managers is closed by each):
   * a closed session is forgotten, and a later `client()` opens a new one.
   */
  async close(): Promise<void> {
    const sessions = [...this.retired.splice(0), this.session];
    this.session = undefined;
    for (const session of sessions) {
      await (await session?.catch(() => undefined))?.client.close();
    }
  }

  private get name(): string {
    return this.options.account?.name ?? 'default';
  }

  private get context() {
    return { clock: this.clock, logger: this.logger };
  }

  private get account() {
    return { directoryUrl: this.options.directoryUrl, name: this.name };
  }

  private opened(): Promise<Session> {
    this.session ??= this.open().catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session;
  }

  private async open(): Promise<Session> {
    const existing = await this.store.getAccount(this.options.directoryUrl, this.name);
    if (existing?.accountUrl) return this.sessionFor(await this.settled(existing));
    // Several workers starting at once on an empty store must not each register an account: take the store's
    // lease, then re-check — another worker may have registered while we waited.
    return withAccountLease(this.store, this.account, () => this.register(), {
      wait: true,
      holder: this.holder,
    });
  }

  /** The record with an interrupted rollover settled; it may be discarded only when no rollover holds the lease. */
  private async settled(record: AccountRecord): Promise<AccountRecord> {
    if (!(await hasUnsettledKey(this.account, this.store))) return record;
    const settled = await withAccountLease(
      this.store,
      this.account,
      (held) =>
        settleAccountKey(
          this.account,
          {
            store: this.store,
            logger: this.logger,
            clientFor: (key) => accountClient(this.options, this.context, key),
          },
          { mayDiscard: held },
        ),
      { wait: false, holder: this.holder },
    );
    return settled ?? record;
  }

  private async register(): Promise<Session> {
    const { directoryUrl } = this.options;
    const stored = await this.store.getAccount(directoryUrl, this.name);
    if (stored?.accountUrl) return this.sessionFor(stored);
    const contact = [...(this.options.account?.contact ?? [])];
    // RFC 8555 §7.3: an invalid contact is refused by the CA; refuse it before sending anything.
    preflight({ identifiers: [], solvers: [], contact });
    const key: AccountKey = stored
      ? await importAccountKey(stored.keyPem)
      : await generateAccountKey(this.options.account?.keyAlgorithm);
    const client = accountClient(this.options, this.context, key);
    // The terms first: a refusal leaves nothing behind, not even a key (the directory is cached for newAccount).
    const agree = this.options.account?.agreeToTerms;
    if (agree) {
      try {
        await agree((await client.directory()).meta?.termsOfService);
      } catch (error) {
        await client.close();
        throw error;
      }
    }
    const record = {
      name: this.name,
      directoryUrl,
      keyPem: exportPrivateKeyPem(key),
      contact,
      createdAt: this.clock.now().toISOString(),
    };
    // The key is stored before registering: if the process dies after the CA answered, the same key finds the same
    // account next time (newAccount with a known key returns the existing account).
    if (!stored) await this.store.putAccount({ ...record, accountUrl: '' });
    const { url } = await client.accounts.create({
      contact,
      termsOfServiceAgreed: true,
      ...(this.options.account?.externalAccountBinding
        ? { externalAccountBinding: this.options.account.externalAccountBinding }
        : {}),
    });
    await this.store.putAccount({ ...record, accountUrl: url });
    this.logger.info({ accountUrl: url, directoryUrl }, 'ACME account registered');
    return { client, accountUrl: url, keyPem: record.keyPem, pendingKeyPem: undefined };
  }

  private async sessionFor(record: AccountRecord): Promise<Session> {
    const client = accountClient(
      this.options,
      this.context,
      await importAccountKey(record.keyPem),
      record.accountUrl,
    );
    return {
      client,
      accountUrl: record.accountUrl,
      keyPem: record.keyPem,
      pendingKeyPem: record.pendingKeyPem,
    };
  }
}
