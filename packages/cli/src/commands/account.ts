import { type AccountKeyAlgorithm, CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { AccountOperations, type AccountSummary } from '@certkeeper/manager';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { formatTime } from '../output/format-time.js';
import { issuedUnder } from '../runtime/issued-under.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { TermsAgreement, terminalTermsIo } from '../runtime/terms-agreement.js';
import { type CommandContext, settingsOf } from './context.js';

export type AccountAction = 'register' | 'show' | 'rollover' | 'deactivate';

/**
 * `certkeeper account register|show|rollover|deactivate`: the account the manager uses (CA + `account.name`),
 * kept in the store with its key. `show --local` asks nothing of the CA; `deactivate` needs `--yes`.
 */
export async function accountCommand(
  context: CommandContext,
  action: AccountAction,
  options: { local?: boolean; yes?: boolean; keyAlgorithm?: string; new?: boolean },
): Promise<ExitCodeValue> {
  if (options.keyAlgorithm !== undefined && !['ES256', 'ES384', 'RS256'].includes(options.keyAlgorithm))
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      `--key-algorithm ${options.keyAlgorithm} is not an account key algorithm; expected ES256, ES384 or RS256.`,
    );
  if (action === 'deactivate' && !options.yes)
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      'Deactivating an account is irreversible: the CA refuses everything it signs afterwards, and certificates are no longer renewed with it. Nothing was done.',
      { hint: 'add --yes if that is what you want.' },
    );
  const settings = await settingsOf(context);
  const runtime = await openRuntime(settings, {
    logger: context.logger,
    // Only `register` creates an account; the others work on the stored one and never ask.
    terms: new TermsAgreement(
      settings,
      terminalTermsIo((line) => context.stderr.write(`${line}\n`)),
    ),
    solvers: false,
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
  });
  const operations = new AccountOperations({
    options: runtime.managerOptions,
    store: runtime.store,
    logger: context.logger,
  });
  try {
    switch (action) {
      case 'register': {
        if (options.new) {
          const summary = await operations.registerNew();
          const replaced = summary.replaced;
          const left = replaced ? await issuedUnder(runtime, replaced.accountUrl) : [];
          const notes = [
            ...(replaced ? [`replaced: ${replaced.accountUrl} (${replaced.status} at the CA)`] : []),
            'certificates of the config are ordered under the new account by the next `certkeeper renew`.',
            ...left.map(
              (names) =>
                `made by issue under the old account, not renewed any more: run \`certkeeper issue ${names.join(' ')}\` again to keep it.`,
            ),
          ];
          context.print(`registered a new account: ${describe(summary)}\n${notes.join('\n')}`, {
            event: 'account',
            action,
            ...summary,
            notRenewed: left.map((names) => ({ names })),
          });
          return ExitCode.OK;
        }
        const summary = await operations.register();
        context.print(
          `${summary.created ? 'registered' : 'already registered, the CA confirms it'}: ${describe(summary)}`,
          {
            event: 'account',
            action,
            ...summary,
          },
        );
        return ExitCode.OK;
      }
      case 'show': {
        const summary = await operations.show({ remote: !options.local });
        if (!summary) {
          context.print(
            `no account "${settings.account.name}" is stored for ${settings.directoryUrl}; \`certkeeper account register\` creates one (issue and renew do it too).`,
            {
              event: 'account',
              action,
              registered: false,
              name: settings.account.name,
              directoryUrl: settings.directoryUrl,
            },
          );
          return ExitCode.OK;
        }
        context.print(describe(summary), { event: 'account', action, registered: true, ...summary });
        return ExitCode.OK;
      }
      case 'rollover': {
        const summary = await operations.rollover(options.keyAlgorithm as AccountKeyAlgorithm | undefined);
        context.print(`account key rolled over: ${describe(summary)}`, {
          event: 'account',
          action,
          ...summary,
        });
        return ExitCode.OK;
      }
      case 'deactivate': {
        const summary = await operations.deactivate();
        context.print(`account deactivated: ${describe(summary)}`, { event: 'account', action, ...summary });
        return ExitCode.OK;
      }
    }
  } finally {
    await runtime.close();
  }
}

function describe(summary: AccountSummary): string {
  return [
    '',
    `  name        ${summary.name}`,
    `  CA          ${summary.directoryUrl}`,
    `  URL         ${summary.accountUrl}`,
    ...(summary.status ? [`  status      ${summary.status}`] : []),
    `  contact     ${summary.contact.join(', ') || '(none)'}`,
    `  key         ${summary.keyAlgorithm}, thumbprint ${summary.keyThumbprint}`,
    `  created     ${formatTime(summary.createdAt)}`,
  ].join('\n');
}
