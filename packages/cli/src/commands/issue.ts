import { resolve } from 'node:path';
import { CertkeeperError, ErrorCodes, identifierSetKey, parseIdentifiers } from '@certkeeper/core';
import { certificateKey } from '@certkeeper/policy';
import { Deployer } from '../deploy/deployer.js';
import { type ExitCodeValue, exitCodeFor } from '../exit-codes.js';
import { chooseReporter } from '../output/choose-reporter.js';
import { checkNames } from '../runtime/check-names.js';
import { signalExitCode } from '../runtime/interruption.js';
import { commandInterruption, interruptionNotice } from '../runtime/interruption-notice.js';
import { keepCertificates } from '../runtime/keep-certificates.js';
import { openRuntime, type Runtime } from '../runtime/open-runtime.js';
import { recipeOf } from '../runtime/recipe.js';
import { requestOf } from '../runtime/stored-request.js';
import { TermsAgreement, terminalTermsIo } from '../runtime/terms-agreement.js';
import { itemOf, type WorkItem } from '../runtime/work-items.js';
import { assertWritableDirectory } from '../runtime/writable-directory.js';
import { parseHookCommand } from '../settings/hook-command.js';
import { type CsrFile, readCsrFile } from '../settings/read-csr.js';
import type { CertificateSpec, Settings } from '../settings/settings.js';
import { type CommandContext, settingsOf } from './context.js';

export interface IssueOptions {
  readonly force?: boolean;
  readonly output?: string;
  readonly deployHook?: string;
  /** Renewals (and a forced issue) keep the stored key; remembered in the recipe. */
  readonly reuseKey?: boolean;
  /** Rehearse against the CA's staging directory (or up to the readiness check): nothing kept. */
  readonly dryRun?: boolean;
  /** A CSR file of the user's own: its names are the certificate's, its key stays the user's. */
  readonly csr?: string;
}

/**
 * `certkeeper issue <names…>`: one certificate for all the names. A fresh certificate for the same set is kept
 * (no order) unless --force. Names matching a configured certificate use its settings (output, hook, key type).
 */
export async function issueCommand(
  context: CommandContext,
  given: readonly string[],
  options: IssueOptions,
): Promise<ExitCodeValue> {
  const settings = await settingsOf(context);
  const csr = options.csr ? await csrOf(context, given, options) : undefined;
  const names = given.length > 0 ? given : (csr?.names ?? []);
  if (names.length === 0)
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      'issue needs the names to certify; nothing was ordered.',
      {
        hint: 'give them (certkeeper issue example.com www.example.com), or a CSR whose names they are (certkeeper issue --csr request.pem).',
      },
    );
  const configured = configuredFor(settings, names);
  try {
    checkNames(names, {
      directoryUrl: settings.directoryUrl,
      profile: configured?.profile ?? settings.profile,
      maxNames: settings.maxNames,
      allowMixedScripts: settings.allowMixedScripts || configured?.allowMixedScripts === true,
    });
  } catch (error) {
    throw csr && given.length === 0 ? fromCsrFile(error, csr) : error;
  }
  if (settings.solvers.length === 0)
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      'No challenge solver is configured, so the CA could not be shown control of the names; nothing was ordered.',
      {
        hint: 'give --http-standalone, --http-webroot <dir>, --tls-alpn-standalone or --dns <plugin>, or add solvers to the config file (certkeeper init).',
      },
    );
  const spec = specFor(settings, names, options, context.cwd, csr);
  if (options.dryRun)
    return (await import('./dry-run.js')).dryRunCommand(context, settings, 'issue', async () => [
      itemOf(spec),
    ]);
  if (spec.output)
    await assertWritableDirectory(spec.output, `output directory of ${names.join(', ')}`, 0o755);
  const reporter = await chooseReporter(context.flags, context);
  const runtime = await openRuntime(settings, {
    command: 'issue',
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
  const interruption = commandInterruption(reporter, 'issue');
  try {
    const deployer = new Deployer({
      storeDirectory: settings.storeDirectory,
      ...(settings.deployHook ? { defaultHook: settings.deployHook } : {}),
      hookTimeoutMs: settings.deployHookTimeoutMs,
    });
    // Names of the config file keep the config as their recipe; others remember how this run made them.
    const item = configured ? itemOf(spec) : { ...itemOf(spec), recipe: recipeOf(settings, spec) };
    await rememberBeforeOrdering(runtime, item);
    const kept = await keepCertificates(runtime, [item], {
      reporter,
      deployer,
      ...(options.force ? { force: true } : {}),
      signal: interruption.signal,
    });
    if (interruption.received) {
      reporter.interrupted(await interruptionNotice(runtime, [item], kept, interruption.received, 'issue'));
      return signalExitCode(interruption.received);
    }
    return exitCodeFor(kept.results, 'issue');
  } finally {
    reporter.close();
    await runtime.close();
    interruption.dispose();
  }
}

/**
 * Keep the recipe before anything is ordered when the account is known, so a run killed mid-order is resumed by a
 * plain `renew` the same way; keepCertificates writes it again with the certificate.
 */
async function rememberBeforeOrdering(runtime: Runtime, item: WorkItem): Promise<void> {
  if (!item.recipe) return;
  const account = await runtime.store.getAccount(
    runtime.settings.directoryUrl,
    runtime.settings.account.name,
  );
  if (!account?.accountUrl) return;
  const request = requestOf(runtime, account.accountUrl, item.request);
  const key = certificateKey(request);
  const existing = await runtime.store.getManaged(key);
  const now = new Date().toISOString();
  await runtime.store.putManaged({
    ...existing,
    key,
    directoryUrl: request.directoryUrl,
    identifiers: request.identifiers,
    recipe: item.recipe as unknown as Record<string, unknown>,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  });
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
  csr: CsrFile | undefined,
): CertificateSpec {
  const configured = configuredFor(settings, names);
  const hook = options.deployHook?.trim()
    ? parseHookCommand(options.deployHook, '--deploy-hook')
    : configured?.deployHook;
  const output = options.output ? resolve(cwd, options.output) : configured?.output;
  const profile = configured?.profile ?? settings.profile;
  const renewBeforeMs = configured?.renewBeforeMs ?? settings.renewBeforeMs;
  const reuseKey = !csr && (options.reuseKey === true || configured?.reuseKey === true);
  // --csr wins over a configured CSR for the same names; either names the key (and so its type).
  const ownCsr = csr ? { file: csr.file, pem: csr.pem, spkiSha256: csr.spkiSha256 } : configured?.csr;
  return {
    names,
    keyType: csr?.keyType ?? configured?.keyType ?? settings.keyType,
    ...(ownCsr ? { csr: ownCsr } : {}),
    ...(profile ? { profile } : {}),
    ...(output ? { output } : {}),
    ...(hook ? { deployHook: hook } : {}),
    ...(renewBeforeMs ? { renewBeforeMs } : {}),
    ...(reuseKey ? { reuseKey } : {}),
  };
}

/**
 * `--csr <file>`, read and checked before anything else happens: a CSR names the key, so `--reuse-key` and
 * `--key-type` do not go with it, and names given beside it must be exactly its names.
 *
 * @throws CertkeeperError INVALID_CSR (naming the file) or INVALID_OPTION: exit 2, nothing sent.
 */
async function csrOf(
  context: CommandContext,
  names: readonly string[],
  options: IssueOptions,
): Promise<CsrFile> {
  const conflicting = options.reuseKey ? '--reuse-key' : context.flags.keyType ? '--key-type' : undefined;
  if (conflicting)
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `--csr and ${conflicting} do not go together: the CSR names the key, which stays yours (certkeeper never holds it); nothing was ordered.`,
      { hint: `drop ${conflicting}: the CSR's key is the certificate's key.` },
    );
  const csr = await readCsrFile(resolve(context.cwd, options.csr!), '--csr');
  if (names.length > 0) {
    let same = false;
    try {
      same = identifierSetKey(parseIdentifiers(names)) === identifierSetKey(parseIdentifiers(csr.names));
    } catch {
      // Names that do not parse: checkNames says what is wrong with them.
      return csr;
    }
    if (!same)
      throw new CertkeeperError(
        ErrorCodes.INVALID_CSR,
        `The CSR file ${csr.file} (--csr) requests ${csr.names.join(', ')}, not ${names.join(', ')}; nothing was ordered.`,
        { hint: "give --csr alone (its names are the certificate's), or exactly its names beside it." },
      );
  }
  return csr;
}

/** A refusal of names that came from a CSR file, saying which file they came from (same code and hint). */
function fromCsrFile(error: unknown, csr: CsrFile): unknown {
  if (!CertkeeperError.isInstance(error)) return error;
  const message = error.message.split('\nNext:')[0];
  return new CertkeeperError(
    error.code,
    `The CSR file ${csr.file} (--csr) requests names that cannot be ordered: ${message}`,
    {
      ...(error.hint ? { hint: error.hint } : {}),
      cause: error,
    },
  );
}
