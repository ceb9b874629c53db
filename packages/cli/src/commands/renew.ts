import { Deployer } from '../deploy/deployer.js';
import { ExitCode, type ExitCodeValue, exitCodeFor } from '../exit-codes.js';
import { chooseReporter } from '../output/choose-reporter.js';
import { checkNames, SYNTAX_ONLY } from '../runtime/check-names.js';
import { signalExitCode } from '../runtime/interruption.js';
import { commandInterruption, interruptionNotice } from '../runtime/interruption-notice.js';
import { keepCertificates } from '../runtime/keep-certificates.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { selectItems } from '../runtime/select-items.js';
import { sweepHooksOf } from '../runtime/sweep-hooks.js';
import { TermsAgreement, terminalTermsIo } from '../runtime/terms-agreement.js';
import { workItems } from '../runtime/work-items.js';
import { parseConcurrencyFlag } from '../settings/concurrency.js';
import { type CommandContext, settingsOf } from './context.js';

/**
 * `certkeeper renew [names…]`: cron-safe and idempotent. Every configured certificate, and every other stored
 * certificate of this CA and account — or, with names, only the one for exactly those names — goes through the
 * freshness gate; only the due ones are ordered. Exit codes are
 * distinct per result (see ExitCode): 0 all fresh, 4 something renewed, 3 something deferred, 1 something failed;
 * 130/143 when SIGINT/SIGTERM stopped it (the order in flight is kept for the next run).
 */
export async function renewCommand(
  context: CommandContext,
  options: {
    force?: boolean;
    preHook?: string;
    postHook?: string;
    reuseKey?: boolean;
    concurrency?: string;
    dryRun?: boolean;
  },
  names: readonly string[] = [],
): Promise<ExitCodeValue> {
  if (names.length > 0) checkNames(names, SYNTAX_ONLY);
  const flagConcurrency =
    options.concurrency !== undefined ? parseConcurrencyFlag(options.concurrency) : undefined;
  const settings = await settingsOf(context);
  // Every selected certificate, fresh or not, is rehearsed; the pre and post hooks are not run.
  if (options.dryRun)
    return (await import('./dry-run.js')).dryRunCommand(context, settings, 'renew', async (runtime) => {
      const all = await workItems(runtime, settings.certificates);
      return names.length > 0 ? selectItems(all, names, settings) : all;
    });
  const sweepHooks = sweepHooksOf(settings, options);
  const reporter = await chooseReporter(context.flags, context);
  const runtime = await openRuntime(settings, {
    command: 'renew',
    logger: context.logger,
    terms: new TermsAgreement(
      settings,
      terminalTermsIo((line) => reporter.info(line)),
    ),
    solvers: true,
    env: context.env,
    cwd: context.cwd,
    warn: (message) => reporter.warn(message),
  });
  // Ctrl-C or SIGTERM stops at the next safe point; a second one exits at once.
  const interruption = commandInterruption(reporter, 'renew');
  try {
    const all = await workItems(runtime, settings.certificates);
    const selected = names.length > 0 ? selectItems(all, names, settings) : all;
    // --reuse-key: every renewal of this run keeps its key (a configured reuseKey does it on every run).
    const items = options.reuseKey
      ? selected.map((item) => ({ ...item, request: { ...item.request, reuseKey: true } }))
      : selected;
    if (items.length === 0) {
      reporter.info(
        `nothing to renew: no certificates are configured${settings.configFile ? ` in ${settings.configFile}` : ' (no config file)'} or stored in ${settings.storeDirectory}. Add one under certificates: in ${settings.configFile ?? 'a config file (`certkeeper init` writes one)'} — \`- names: [example.com, www.example.com]\` — or issue one with \`certkeeper issue <names…>\`.`,
      );
      return ExitCode.OK;
    }
    const kept = await keepCertificates(runtime, items, {
      reporter,
      deployer: new Deployer({
        storeDirectory: settings.storeDirectory,
        ...(settings.deployHook ? { defaultHook: settings.deployHook } : {}),
        hookTimeoutMs: settings.deployHookTimeoutMs,
      }),
      ...(options.force ? { force: true } : {}),
      sweepHooks,
      signal: interruption.signal,
      concurrency: flagConcurrency ?? settings.concurrency,
    });
    if (interruption.received) {
      reporter.interrupted(await interruptionNotice(runtime, items, kept, interruption.received, 'renew'));
      return signalExitCode(interruption.received);
    }
    const { results } = kept;
    const code = exitCodeFor(results, 'renew');
    const counts: Record<string, number> = {};
    for (const { outcome } of results) counts[outcome.type] = (counts[outcome.type] ?? 0) + 1;
    reporter.summary(counts, code);
    return code;
  } finally {
    reporter.close();
    await runtime.close();
    interruption.dispose();
  }
}
