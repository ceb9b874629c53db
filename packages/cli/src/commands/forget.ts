import { CertkeeperError, ErrorCodes, identifierSetKey, parseIdentifiers } from '@certkeeper/core';
import { allCertificates, allManaged } from '@certkeeper/store';
import { linkLiveNames } from '../deploy/live-links.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { checkNames, SYNTAX_ONLY } from '../runtime/check-names.js';
import { openRuntime, type Runtime } from '../runtime/open-runtime.js';
import { issueRecipeOf } from '../runtime/recipe.js';
import { type CommandContext, settingsOf } from './context.js';

/**
 * `certkeeper forget <names…>`: stop keeping the certificate for exactly these names at this CA. Its managed
 * record (the recipe `issue` kept), any order in flight and the stored certificate go — the stored certificate
 * too, because `renew` keeps every stored certificate. Its `output` directory is left as it is, so a server
 * reading it keeps working until the certificate expires; nothing is revoked (`certkeeper revoke` does that).
 */
export async function forgetCommand(
  context: CommandContext,
  names: readonly string[],
): Promise<ExitCodeValue> {
  checkNames(names, SYNTAX_ONLY);
  const settings = await settingsOf(context);
  const set = identifierSetKey(parseIdentifiers(names));
  const configured = settings.certificates.find(
    (certificate) => identifierSetKey(parseIdentifiers(certificate.names)) === set,
  );
  if (configured)
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      `${names.join(', ')} is a certificate of the config file ${settings.configFile}; forget keeps nothing from it. Nothing was changed.`,
      {
        hint: `remove it from certificates: in ${settings.configFile}, then run certkeeper forget ${names.join(' ')} to drop what is stored.`,
      },
    );
  const runtime = await openRuntime(settings, {
    logger: context.logger,
    solvers: false,
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
  });
  try {
    const found = await keysFor(runtime, set);
    if (found.keys.size === 0)
      throw new CertkeeperError(
        ErrorCodes.NOT_FOUND,
        `No certificate for exactly ${names.join(', ')} from ${settings.directoryUrl} is kept in ${settings.storeDirectory}; nothing was forgotten.`,
        {
          hint: 'check the names and the CA with `certkeeper status`; names must match the certificate’s set exactly.',
        },
      );
    for (const key of found.keys) {
      // The managed record first: once it is gone no run deploys or re-creates the recipe for this key.
      await runtime.store.deleteManaged(key);
      await runtime.store.deleteOrder(key);
      await runtime.store.deleteCertificate(key);
    }
    // Its live/ name leads nowhere now: removed (or handed to the certificate it was told apart from).
    await linkLiveNames(runtime.store.directory, runtime.store).catch((error: unknown) =>
      context.warn(
        `could not update the live/ links in ${runtime.store.directory}: ${error instanceof Error ? error.message : String(error)}; the next run tries again`,
      ),
    );
    const outputs = [...found.outputs];
    context.print(
      `forgot ${names.join(', ')}: renew and run no longer keep it, and its stored copy is removed${outputs.length ? `; ${outputs.join(', ')} left as it is` : ''}. Nothing was revoked.`,
      { event: 'forgotten', names, certificates: found.keys.size, outputsLeft: outputs },
    );
    return ExitCode.OK;
  } finally {
    await runtime.close();
  }
}

/** Keys of this CA's managed records and stored certificates for the set (any account, any profile). */
async function keysFor(runtime: Runtime, set: string): Promise<{ keys: Set<string>; outputs: Set<string> }> {
  const { store, settings } = runtime;
  const keys = new Set<string>();
  const outputs = new Set<string>();
  for await (const record of allManaged(store)) {
    if (record.directoryUrl !== settings.directoryUrl || identifierSetKey(record.identifiers) !== set)
      continue;
    keys.add(record.key);
    const output = issueRecipeOf(record)?.output;
    if (output) outputs.add(output);
  }
  for await (const record of allCertificates(store))
    if (record.directoryUrl === settings.directoryUrl && identifierSetKey(record.identifiers) === set)
      keys.add(record.key);
  return { keys, outputs };
}
