import {
  CertkeeperError,
  ErrorCodes,
  identifierSetKey,
  parseIdentifiers,
  RevocationReason,
} from '@certkeeper/core';
import { type RevocationReasonName, revokeCertificate } from '@certkeeper/manager';
import { allCertificates, type CertificateRecord } from '@certkeeper/store';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { formatTime } from '../output/format-time.js';
import { checkNames, SYNTAX_ONLY } from '../runtime/check-names.js';
import { openRuntime, type Runtime } from '../runtime/open-runtime.js';
import { type CommandContext, settingsOf } from './context.js';

/**
 * `certkeeper revoke <names…> [--reason keyCompromise]`: revoke the stored certificate for exactly these names
 * (at this CA, issued to this account) and mark it revoked, so the next `renew` replaces it.
 */
export async function revokeCommand(
  context: CommandContext,
  names: readonly string[],
  options: { reason?: string },
): Promise<ExitCodeValue> {
  checkNames(names, SYNTAX_ONLY);
  const reason = options.reason;
  if (reason !== undefined && !(reason in RevocationReason))
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      `--reason ${reason} is not a revocation reason; expected one of ${Object.keys(RevocationReason).join(', ')}. Nothing was revoked.`,
    );
  const settings = await settingsOf(context);
  const runtime = await openRuntime(settings, {
    logger: context.logger,
    solvers: false,
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
  });
  try {
    const record = await findCertificate(runtime, names);
    const revoked = await revokeCertificate({
      options: runtime.managerOptions,
      store: runtime.store,
      record,
      ...(reason ? { reason: reason as RevocationReasonName } : {}),
      logger: context.logger,
    });
    context.print(
      `revoked ${names.join(', ')} (serial ${revoked.serialNumberHex}, reason ${reason ?? 'unspecified'}) at ${formatTime(revoked.revokedAt!)}; the next \`certkeeper renew\` issues a replacement.`,
      {
        event: 'revoked',
        names,
        serial: revoked.serialNumberHex,
        reason: reason ?? 'unspecified',
        revokedAt: revoked.revokedAt,
      },
    );
    return ExitCode.OK;
  } finally {
    await runtime.close();
  }
}

async function findCertificate(runtime: Runtime, names: readonly string[]): Promise<CertificateRecord> {
  const set = identifierSetKey(parseIdentifiers(names));
  const account = await runtime.store.getAccount(
    runtime.settings.directoryUrl,
    runtime.settings.account.name,
  );
  const matches: CertificateRecord[] = [];
  for await (const record of allCertificates(runtime.store))
    if (
      record.directoryUrl === runtime.settings.directoryUrl &&
      record.accountUrl === account?.accountUrl &&
      identifierSetKey(record.identifiers) === set
    )
      matches.push(record);
  const current = matches.filter((record) => !record.revokedAt);
  const found = current[0];
  if (!found)
    throw new CertkeeperError(
      ErrorCodes.NOT_FOUND,
      matches.length
        ? `The certificate for ${names.join(', ')} is already revoked.`
        : `No certificate for exactly ${names.join(', ')} from ${runtime.settings.directoryUrl} and account "${runtime.settings.account.name}" is stored in ${runtime.settings.storeDirectory}; nothing was revoked.`,
      {
        hint: 'check the names and the CA with `certkeeper status`; names must match the certificate’s set exactly.',
      },
    );
  return found;
}
