import { CertkeeperError } from '@certkeeper/core';
import type { DryRunScope } from '@certkeeper/manager';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { type DryRunTarget, dryRunJson, dryRunPlace, dryRunText } from '../output/dry-run-text.js';
import { JsonReporter } from '../output/json-reporter.js';
import { PlainReporter } from '../output/plain-reporter.js';
import { errorText, type Reporter } from '../output/reporter.js';
import { Interruption, signalExitCode } from '../runtime/interruption.js';
import { openRuntime, type Runtime } from '../runtime/open-runtime.js';
import { TermsAgreement, terminalTermsIo } from '../runtime/terms-agreement.js';
import type { WorkItem } from '../runtime/work-items.js';
import type { Settings } from '../settings/settings.js';
import type { CommandContext } from './context.js';

/**
 * `issue --dry-run` and `renew --dry-run`: each certificate's whole flow against the CA's staging directory when it
 * has one (issued there, verified, discarded), else against the CA itself up to published responses and the
 * readiness check, then cleanup and the authorizations deactivated — never a finalize against production. Nothing
 * is stored but the account (a staging CA gets its own), nothing deployed, no hook run, the ledger untouched.
 * Exit 0 when every dry run succeeded, 1 otherwise.
 *
 * @param select the certificates, from a runtime whose settings are the real CA's (stored recipes are found there).
 */
export async function dryRunCommand(
  context: CommandContext,
  settings: Settings,
  command: 'issue' | 'renew',
  select: (runtime: Runtime) => Promise<readonly WorkItem[]>,
): Promise<ExitCodeValue> {
  const target: DryRunTarget = {
    directoryUrl: settings.stagingDirectoryUrl ?? settings.directoryUrl,
    staging: settings.stagingDirectoryUrl !== undefined,
  };
  const scope: DryRunScope = target.staging ? 'certificate' : 'readiness';
  // Plain lines, not the live view: its checklist ends in "stored", which a dry run never is.
  const reporter: Reporter = context.flags.json
    ? new JsonReporter(context.stdout)
    : new PlainReporter(context.stdout, context.stderr);
  const write = (names: readonly string[], json: Record<string, unknown>, text: string) => {
    if (context.flags.json)
      context.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...json })}\n`);
    else context.stdout.write(`${names.join(', ')}: ${text}\n`);
  };
  // No certificates: openRuntime would create their output directories, and a dry run writes no output at all.
  // ca.trustAnchors are the production roots: a staging CA's chains end at its own (Let's Encrypt's "(STAGING)"
  // roots), so at another directory the chain is verified as far as it goes, without them.
  const { trustAnchors, ...rest } = settings;
  const rehearsal = {
    ...rest,
    ...(trustAnchors && target.directoryUrl === settings.directoryUrl ? { trustAnchors } : {}),
    directoryUrl: target.directoryUrl,
    certificates: [],
  };
  const runtime = await openRuntime(rehearsal, {
    command: `${command} --dry-run`,
    logger: context.logger,
    terms: new TermsAgreement(
      rehearsal,
      terminalTermsIo((line) => reporter.info(line)),
    ),
    solvers: true,
    env: context.env,
    cwd: context.cwd,
    warn: (message) => reporter.warn(message),
  });
  const interruption = new Interruption({
    onExitNow: () => reporter.close(),
  });
  try {
    const items = await select({ ...runtime, settings });
    if (items.length === 0) {
      reporter.info(`${dryRunPlace(target)}: no certificate to rehearse; nothing was sent`);
      return ExitCode.OK;
    }
    await runtime.terms?.beforeRegistering(runtime);
    let failed = 0;
    for (const item of items) {
      if (interruption.signal.aborted) break;
      reporter.begin(item.names);
      try {
        if (item.problem) throw item.problem;
        const { manager } = await runtime.managerFor(item.solvers);
        const onProgress = reporter.progress.bind(reporter);
        manager.events.on('progress', onProgress);
        try {
          const result = await manager.dryRun(item.request, scope, interruption.signal);
          write(item.names, dryRunJson(item.names, target, result), dryRunText(target, result));
        } finally {
          manager.events.off('progress', onProgress);
        }
      } catch (error) {
        if (interruption.signal.aborted) break;
        failed++;
        const code = CertkeeperError.isInstance(error) ? error.code : undefined;
        const message = errorText(error);
        write(
          item.names,
          {
            event: 'dry-run',
            names: item.names,
            ok: false,
            directoryUrl: target.directoryUrl,
            staging: target.staging,
            ...(code ? { code } : {}),
            message,
          },
          `${dryRunPlace(target)} failed: ${message.split('\nNext:')[0]}${code ? ` (${code})` : ''}`,
        );
      }
    }
    if (interruption.received) {
      reporter.info(
        `${dryRunPlace(target)}: interrupted (${interruption.received}); the order in flight was abandoned, nothing is kept`,
      );
      return signalExitCode(interruption.received);
    }
    const code = failed > 0 ? ExitCode.FAILED : ExitCode.OK;
    reporter.summary({ 'dry-run': items.length - failed, ...(failed ? { failed } : {}) }, code);
    return code;
  } finally {
    reporter.close();
    await runtime.close();
    interruption.dispose();
  }
}
