import { resolve } from 'node:path';
import { CertkeeperError, ErrorCodes, identifierSetKey, parseIdentifiers } from '@certkeeper/core';
import { Deployer } from '../deploy/deployer.js';
import { type ExitCodeValue, exitCodeFor } from '../exit-codes.js';
import { chooseReporter } from '../output/choose-reporter.js';
import { checkNames } from '../runtime/check-names.js';
import { signalExitCode } from '../runtime/interruption.js';
import { commandInterruption, interruptionNotice } from '../runtime/interruption-notice.js';
import { keepCertificates } from '../runtime/keep-certificates.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { itemOf } from '../runtime/work-items.js';
import { assertWritableDirectory } from '../runtime/writable-directory.js';
import { parseHookCommand } from '../settings/hook-command.js';
import type { CertificateSpec, Settings } from '../settings/settings.js';
import { type CommandContext, settingsOf } from './context.js';

export interface IssueOptions {
  readonly force?: boolean;
  readonly output?: string;
  readonly deployHook?: string;
}

/**
 * `certkeeper issue <names…>`: one certificate for all the names. A fresh certificate for the same set is kept
 * (no order) unless --force. Names matching a configured certificate use its settings (output, hook, key type).
 */
export async function issueCommand(
  context: CommandContext,
  names: readonly string[],
  options: IssueOptions,
): Promise<ExitCodeValue> {
  const settings = await settingsOf(context);
  const configured = configuredFor(settings, names);
  checkNames(names, {
    directoryUrl: settings.directoryUrl,
    profile: configured?.profile ?? settings.profile,
    maxNames: settings.maxNames,
    allowMixedScripts: settings.allowMixedScripts || configured?.allowMixedScripts === true,
  });
  if (settings.solvers.length === 0)
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      'No challenge solver is configured, so the CA could not be shown control of the names; nothing was ordered.',
      {
        hint: 'give --http-standalone, --http-webroot <dir>, --tls-alpn-standalone or --dns <plugin>, or add solvers to the config file (certkeeper init).',
      },
    );
  const spec = specFor(settings, names, options, context.cwd);
  if (spec.output)
    await assertWritableDirectory(spec.output, `output directory of ${names.join(', ')}`, 0o755);
  const reporter = await chooseReporter(context.flags, context);
  const runtime = await openRuntime(settings, {
    command: 'issue',
    logger: context.logger,
    solvers: true,
    env: context.env,
    cwd: context.cwd,
    warn: (message) => reporter.warn(message),
  });
  // Ctrl-C or SIGTERM stops at the next safe point; a second one exits at once.
  const interruption = commandInterruption(reporter, 'issue');
  try {
    const deployer = new Deployer({
      storeDirectory: settings.storeDirectory,
      ...(settings.deployHook ? { defaultHook: settings.deployHook } : {}),
      hookTimeoutMs: settings.deployHookTimeoutMs,
    });
    const items = [itemOf(spec)];
    const results = await keepCertificates(runtime, items, {
      reporter,
      deployer,
      ...(options.force ? { force: true } : {}),
      signal: interruption.signal,
    });
    if (interruption.received) {
      reporter.interrupted(await interruptionNotice(runtime, items, results, interruption.received, 'issue'));
      return signalExitCode(interruption.received);
    }
    return exitCodeFor(results, 'issue');
  } finally {
    reporter.close();
    await runtime.close();
    interruption.dispose();
  }
}

/** The configured certificate for exactly these names, if any; undefined for names that do not parse. */
function configuredFor(settings: Settings, names: readonly string[]): CertificateSpec | undefined {
  let set: string;
  try {
    set = identifierSetKey(parseIdentifiers(names));
  } catch {
    return undefined;
  }
  return settings.certificates.find(
    (certificate) => identifierSetKey(parseIdentifiers(certificate.names)) === set,
  );
}

function specFor(
  settings: Settings,
  names: readonly string[],
  options: IssueOptions,
  cwd: string,
): CertificateSpec {
  const configured = configuredFor(settings, names);
  const hook = options.deployHook?.trim()
    ? parseHookCommand(options.deployHook, '--deploy-hook')
    : configured?.deployHook;
  const output = options.output ? resolve(cwd, options.output) : configured?.output;
  const profile = configured?.profile ?? settings.profile;
  return {
    names,
    keyType: configured?.keyType ?? settings.keyType,
    ...(profile ? { profile } : {}),
    ...(output ? { output } : {}),
    ...(hook ? { deployHook: hook } : {}),
  };
}
