import { type Logger, processSecretRedactor, type SecretRedactor, systemClock } from '@certkeeper/core';
import type {
  AccountRegistry,
  CertificateManager,
  CertkeeperMetrics,
  ManagerOptions,
} from '@certkeeper/manager';
import { FileStore } from '@certkeeper/store';
import type { Settings, SolverSpec } from '../settings/settings.js';
import { type BuiltSolvers, buildSolvers } from './build-solvers.js';
import { portLease } from './port-lease.js';
import type { TermsAgreement } from './terms-agreement.js';
import { assertWritableDirectory } from './writable-directory.js';

/** The composed parts a command works with. `close()` stops the responder, the CA connections and the store. */
export interface Runtime {
  readonly settings: Settings;
  readonly managerOptions: ManagerOptions;
  readonly store: FileStore;
  /**
   * The manager ordering with these solvers (an `issue` recipe's), and the solvers built for it; the run's own when
   * none are given or they are the run's. Composed on first use: a `renew` whose certificates are all fresh never
   * loads the manager (nor pino, prom-client and tsyringe), which keeps the cron no-op fast.
   */
  managerFor(
    solvers?: readonly SolverSpec[],
  ): Promise<{ manager: CertificateManager; solvers: BuiltSolvers }>;
  readonly solvers: BuiltSolvers;
  /** Agreement to the CA's terms, when this command may register a new account. */
  readonly terms?: TermsAgreement;
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
  /** Agreement to the CA's terms before a new account is registered (commands that may register one). */
  readonly terms?: TermsAgreement;
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
  const holderDescription = options.command ? `certkeeper ${options.command}` : 'certkeeper';
  const build = (specs: readonly SolverSpec[]) =>
    buildSolvers(specs, {
      directory: settings.baseDirectory,
      env: options.env,
      warn: options.warn,
      redactor: options.redactor ?? processSecretRedactor(),
      searchFrom: [settings.baseDirectory, options.cwd],
      // Bound only while an order runs, long after the store below is open.
      portLock: (address) =>
        portLease(() => store, address, { logger: options.logger, description: holderDescription }),
    });
  const solvers: BuiltSolvers = options.solvers
    ? await build(settings.solvers)
    : { solvers: [], responders: [], stop: async () => {} };
  const store = await FileStore.open({ directory: settings.storeDirectory });
  const base = managerOptionsOf(settings);
  const managerOptions: ManagerOptions = options.terms
    ? { ...base, account: { ...base.account, agreeToTerms: options.terms.agree } }
    : base;
  // One manager per distinct solver set; JSON drops the `where` functions, leaving what the solvers are. They share
  // one account session: certificates of several solver sets in flight at once use one client, directory, nonce
  // pool and connection.
  const composed = new Map<string, Promise<{ manager: CertificateManager; solvers: BuiltSolvers }>>();
  let accounts: AccountRegistry | undefined;
  const compose = (built: BuiltSolvers) =>
    // The manager's /compose entry, not its index: the index also loads prom-client and pino (issue 13).
    import('@certkeeper/manager/compose').then(({ AccountRegistry, composeCertificateManager }) => {
      const composition = {
        ...managerOptions,
        leaseHolder: { description: holderDescription },
        store,
        solvers: built.solvers,
        logger: options.logger,
        metrics: options.metrics ?? false,
      } as const;
      accounts ??= new AccountRegistry(composition, store, systemClock, options.logger);
      return { solvers: built, manager: composeCertificateManager({ ...composition, accounts }) };
    });
  const ownKey = JSON.stringify(settings.solvers);
  const managerFor = (specs?: readonly SolverSpec[]) => {
    const key = specs ? JSON.stringify(specs) : ownKey;
    let entry = composed.get(key);
    if (!entry) {
      entry = key === ownKey ? compose(solvers) : build(specs!).then(compose);
      composed.set(key, entry);
    }
    return entry;
  };
  return {
    settings,
    managerOptions,
    ...(options.terms ? { terms: options.terms } : {}),
    store,
    managerFor,
    solvers,
    close: async () => {
      await solvers.stop().catch(() => undefined);
      for (const entry of composed.values()) {
        const done = await entry.catch(() => undefined);
        if (done && done.solvers !== solvers) await done.solvers.stop().catch(() => undefined);
        await done?.manager.close().catch(() => undefined);
      }
      await store.close();
    },
  };
}
