import type { CertkeeperMetrics } from '@certkeeper/manager';
import type { CommandContext } from '../commands/context.js';
import { Deployer } from '../deploy/deployer.js';
import type { Reporter } from '../output/reporter.js';
import { openRuntime, type Runtime } from '../runtime/open-runtime.js';
import { TermsAgreement, terminalTermsIo } from '../runtime/terms-agreement.js';
import type { Settings } from '../settings/settings.js';
import { type DaemonSite, openDaemonSite } from './daemon-site.js';

/**
 * What the daemon builds from one configuration: the runtime (store, account, solvers, manager), the status page
 * when it serves one, and the deployer. A SIGHUP builds a new set from the reloaded configuration and closes the
 * old one; the HTTP listener and the metrics outlive both.
 */
export interface DaemonServices {
  readonly settings: Settings;
  readonly runtime: Runtime;
  readonly site?: DaemonSite;
  readonly deployer: Deployer;
  close(): Promise<void>;
}

export async function openDaemonServices(
  settings: Settings,
  context: CommandContext,
  metrics: CertkeeperMetrics,
  reporter: Reporter,
): Promise<DaemonServices> {
  const runtime = await openRuntime(settings, {
    command: 'run',
    logger: context.logger,
    // A daemon asks no one: without --agree-tos or account.agreeTos a new account is refused, each sweep saying why.
    terms: new TermsAgreement(
      settings,
      terminalTermsIo((line) => reporter.info(line), false),
    ),
    metrics,
    solvers: true,
    env: context.env,
    cwd: context.cwd,
    warn: (message) => reporter.warn(message),
  });
  const { listen } = settings.daemon;
  let site: DaemonSite | undefined;
  try {
    site = listen
      ? await openDaemonSite(settings, runtime, listen, context.redactor, context.flags)
      : undefined;
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const deployer = new Deployer({
    storeDirectory: settings.storeDirectory,
    ...(settings.deployHook ? { defaultHook: settings.deployHook } : {}),
    hookTimeoutMs: settings.deployHookTimeoutMs,
  });
  return {
    settings,
    runtime,
    ...(site ? { site } : {}),
    deployer,
    close: async () => {
      site?.close();
      await runtime.close();
    },
  };
}
