import { type Logger, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import type { CertificateManager, CertkeeperMetrics, ManagerOptions } from '@certkeeper/manager';
import { FileStore } from '@certkeeper/store';
import type { Settings } from '../settings/settings.js';
import { type BuiltSolvers, buildSolvers } from './build-solvers.js';
import { assertWritableDirectory } from './writable-directory.js';

/** The composed parts a command works with. `close()` stops the responder, the CA connections and the store. */
export interface Runtime {
  readonly settings: Settings;
  readonly managerOptions: ManagerOptions;
  readonly store: FileStore;
  /**
   * The manager, composed on first use: a `renew` whose certificates are all fresh never loads it (nor pino,
   * prom-client and tsyringe), which keeps the cron no-op fast.
   */
  manager(): Promise<CertificateManager>;
  readonly solvers: BuiltSolvers;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly logger: Logger;
  readonly metrics?: CertkeeperMetrics;
  /** Build the solvers (issuing commands); others get none, so a missing plugin does not stop `status`. */
  readonly solvers: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly warn: (message: string) => void;
  /** The command running (`renew`): how a run waiting for this one's lease is told who holds it. */
  readonly command?: string;
  /** Where resolved plugin secrets are registered; the process's by default. */
  readonly redactor?: SecretRedactor;
}

export function managerOptionsOf(settings: Settings): ManagerOptions {
  const { account } = settings;
  return {
    directoryUrl: settings.directoryUrl,
    ...(settings.caBundle ? { caBundle: settings.caBundle } : {}),
    ...(settings.trustAnchors ? { trustAnchors: settings.trustAnchors } : {}),
    ...(settings.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
    account: {
      name: account.name,
      contact: account.contact,
      ...(account.keyAlgorithm ? { keyAlgorithm: account.keyAlgorithm } : {}),
      ...(account.externalAccountBinding ? { externalAccountBinding: account.externalAccountBinding } : {}),
    },
    keyType: settings.keyType,
    rateLimits: settings.rateLimits,
    maxSweepIntervalMs: settings.daemon.maxSweepIntervalMs,
  };
}

/**
 * Compose store, solvers and manager — every local check first (store and output directories writable, plugins
 * loadable, secrets present), so that bad input fails before the CA hears from us.
 */
export async function openRuntime(settings: Settings, options: RuntimeOptions): Promise<Runtime> {
  await assertWritableDirectory(settings.storeDirectory, 'store directory');
  if (options.solvers)
    for (const certificate of settings.certificates)
      if (certificate.output)
        await assertWritableDirectory(
          certificate.output,
          `output directory of ${certificate.names.join(', ')}`,
          0o755,
        );
  const solvers: BuiltSolvers = options.solvers
    ? await buildSolvers(settings.solvers, {
        directory: settings.baseDirectory,
        env: options.env,
        warn: options.warn,
        redactor: options.redactor ?? processSecretRedactor(),
        searchFrom: [settings.baseDirectory, options.cwd],
      })
    : { solvers: [], responders: [], stop: async () => {} };
  const store = await FileStore.open({ directory: settings.storeDirectory });
  const managerOptions = managerOptionsOf(settings);
  let manager: Promise<CertificateManager> | undefined;
  return {
    settings,
    managerOptions,
    store,
    manager: () => {
      manager ??= import('@certkeeper/manager').then(({ createCertificateManager }) =>
        createCertificateManager({
          ...managerOptions,
          leaseHolder: { description: options.command ? `certkeeper ${options.command}` : 'certkeeper' },
          store,
          solvers: solvers.solvers,
          logger: options.logger,
          metrics: options.metrics ?? false,
        }),
      );
      return manager;
    },
    solvers,
    close: async () => {
      await solvers.stop().catch(() => undefined);
      await (await manager?.catch(() => undefined))?.close().catch(() => undefined);
      await store.close();
    },
  };
}
