import { randomUUID } from 'node:crypto';
import {
  type AccountKey,
  AcmeClient,
  type Clock,
  exportPrivateKeyPem,
  generateAccountKey,
  importAccountKey,
  type Logger,
  sleep,
} from '@certkeeper/core';
import type { Store } from '@certkeeper/store';
import { clientOptionsOf } from './client-options.js';
import type { ManagerOptions } from './options.js';

interface Session {
  readonly client: AcmeClient;
  readonly accountUrl: string;
}

/**
 * The manager's ACME account: loaded from the store, or registered once and stored (key included) so a restart,
 * another worker or a rebuilt machine with the same store uses the same account.
 */
export class AccountRegistry {
  private session: Promise<Session> | undefined;

  constructor(
    private readonly options: ManagerOptions,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The client for the account, registering it on first use (concurrent callers share one registration). */
  client(): Promise<Session> {
    this.session ??= this.open().catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session;
  }

  async close(): Promise<void> {
    const session = await this.session?.catch(() => undefined);
    await session?.client.close();
  }

  private get name(): string {
    return this.options.account?.name ?? 'default';
  }

  private async open(): Promise<Session> {
    const { directoryUrl } = this.options;
    const existing = await this.store.getAccount(directoryUrl, this.name);
    if (existing?.accountUrl)
      return this.session$(await importAccountKey(existing.keyPem), existing.accountUrl);
    // Several workers starting at once on an empty store must not each register an account: take the store's
    // lease, then re-check — another worker may have registered while we waited.
    const leaseName = `account|${directoryUrl}|${this.name}`;
    const holder = randomUUID();
    let lease = await this.store.acquireLease(leaseName, holder, 60_000);
    while (!lease) {
      await sleep(100);
      lease = await this.store.acquireLease(leaseName, holder, 60_000);
    }
    try {
      return await this.register();
    } finally {
      await this.store.releaseLease(lease);
    }
  }

  private async register(): Promise<Session> {
    const { directoryUrl } = this.options;
    const stored = await this.store.getAccount(directoryUrl, this.name);
    if (stored?.accountUrl) return this.session$(await importAccountKey(stored.keyPem), stored.accountUrl);
    const key: AccountKey = stored
      ? await importAccountKey(stored.keyPem)
      : await generateAccountKey(this.options.account?.keyAlgorithm);
    const contact = [...(this.options.account?.contact ?? [])];
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
    const client = this.newClient(key, undefined);
    const { url } = await client.accounts.create({
      contact,
      ...(this.options.account?.externalAccountBinding
        ? { externalAccountBinding: this.options.account.externalAccountBinding }
        : {}),
    });
    await this.store.putAccount({ ...record, accountUrl: url });
    this.logger.info({ accountUrl: url, directoryUrl }, 'ACME account registered');
    return { client, accountUrl: url };
  }

  private session$(key: AccountKey, accountUrl: string): Session {
    return { client: this.newClient(key, accountUrl), accountUrl };
  }

  private newClient(key: AccountKey, accountUrl: string | undefined): AcmeClient {
    return new AcmeClient({
      ...clientOptionsOf(this.options, { clock: this.clock, logger: this.logger }),
      accountKey: key,
      ...(accountUrl ? { accountUrl } : {}),
    });
  }
}
