import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { renderCertificates } from '../output/certificates-view.js';
import { allStatus } from '../runtime/all-status.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { type CommandContext, settingsOf } from './context.js';

/**
 * `certkeeper certificates` (alias `list`): each stored certificate's names, expiry and paths, certbot's
 * `certificates` for its users. From the store alone, every CA and account unless --ca/--account narrows it.
 */
export async function certificatesCommand(context: CommandContext): Promise<ExitCodeValue> {
  const settings = await settingsOf(context);
  const runtime = await openRuntime(settings, {
    logger: context.logger,
    solvers: false,
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
  });
  try {
    const report = await allStatus(settings, runtime, context.flags);
    const stored = report.certificates.filter((certificate) => certificate.state !== 'missing');
    const json = {
      certificates: stored.map((certificate) => ({
        identifiers: certificate.identifiers,
        state: certificate.state,
        notAfter: certificate.notAfter,
        keyType: certificate.keyType,
        serialNumberHex: certificate.serialNumberHex,
        directoryUrl: certificate.directoryUrl,
        accountUrl: certificate.accountUrl,
        files: certificate.files ?? [],
      })),
    };
    context.print(renderCertificates(stored, new Date()), json);
    return ExitCode.OK;
  } finally {
    await runtime.close();
  }
}
