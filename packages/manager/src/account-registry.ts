import {
  type AccountKey,
  AcmeClient,
  type Clock,
  exportPrivateKeyPem,
  generateAccountKey,
  importAccountKey,
  type Logger,
} from '@certkeeper/core';
import type { Store } from '@certkeeper/store';
import type { ManagerOptions } from './options.js';

/**
 * The manager's ACME account: loaded from the store, or registered once and stored (key included) so a restart,
 * another worker or a rebuilt machine with the same store uses the same account.
 */
export class AccountRegistry {
  private session: Promise<{ client: AcmeClient; accountUrl: string }> | undefined;

  constructor(
    private readonly options: ManagerOptions,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The client for the account, registering it on first use (concurrent callers share one registration). */
  client(): Promise<{ client: AcmeClient; accountUrl: string }> {
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

  private async open(): Promise<{ client: AcmeClient; accountUrl: string }> {
    const { directoryUrl } = this.options;
    const name = this.options.account?.name ?? 'default';
    const stored = await this.store.getAccount(directoryUrl, name);
    const key: AccountKey = stored
      ? await importAccountKey(stored.keyPem)
      : await generateAccountKey(this.options.account?.keyAlgorithm);
    const client = new AcmeClient({
      directoryUrl,
      accountKey: key,
      ...(this.options.caBundle
        ? { caBundle: [...([] as string[]).concat(this.options.caBundle as string | string[])] }
        : {}),
      ...(stored?.accountUrl ? { accountUrl: stored.accountUrl } : {}),
      clock: this.clock,
      logger: this.logger,
    });
    if (stored?.accountUrl) return { client, accountUrl: stored.accountUrl };
    // No account, or a registration cut short by a crash: newAccount with the stored key returns the account
    // the CA already has for it, so this never creates a second one.
    // Store the key before registering: if registration succeeds and the process dies, the key finds the account.
    const contact = [...(this.options.account?.contact ?? [])];
    if (!stored)
      await this.store.putAccount({
        name,
        directoryUrl,
        accountUrl: '',
        keyPem: exportPrivateKeyPem(key),
        contact,
        createdAt: this.clock.now().toISOString(),
      });
    const { url } = await client.accounts.create({
      contact,
      ...(this.options.account?.externalAccountBinding
        ? { externalAccountBinding: this.options.account.externalAccountBinding }
        : {}),
    });
    await this.store.putAccount({
      name,
      directoryUrl,
      accountUrl: url,
      keyPem: exportPrivateKeyPem(key),
      contact,
      createdAt: this.clock.now().toISOString(),
    });
    this.logger.info({ accountUrl: url, directoryUrl }, 'ACME account registered');
    return { client, accountUrl: url };
  }
}
