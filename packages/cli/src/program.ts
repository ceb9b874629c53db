import { Argument, Command, Option } from 'commander';
import type { CommandContext } from './commands/context.js';
import { CA_DIRECTORIES } from './config/ca-directories.js';
import type { ExitCodeValue } from './exit-codes.js';
import type { GlobalFlags } from './settings/global-flags.js';
import { version } from './version.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0  success; for renew: every certificate was fresh, nothing was sent to the CA
  1  a certificate failed (or its deploy hook did, or the CA could not be reached)
  2  bad input: usage, config, missing secret or plugin, unwritable directory, busy port, no solver for a
     name, an untrusted CA TLS certificate — no backoff is recorded: fix it and run again
  3  a certificate was deferred (a rate limit or backoff is in force), none failed
  4  renew only: a certificate was issued or renewed, none failed or was deferred
  130/143  stopped by Ctrl-C (SIGINT) / SIGTERM: the order in flight is kept; the next run resumes it
  With several certificates the worst result wins (2 > 1 > 3 > 4 > 0).`;

const DRY_RUN_HELP =
  "rehearse, keep nothing: issue at the CA's staging directory if it has one (ca.staging), else stop after the readiness check and deactivate the authorizations; exit 0 or 1";

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Build the commander program. Each action resolves to an exit code stored in `result.code`; errors propagate to
 * `main`, which prints them once.
 */
export function buildProgram(result: { code: ExitCodeValue }): Command {
  const program = new Command('certkeeper')
    .description(
      'Keep TLS certificates fresh with ACME (RFC 8555): issue, renew from cron, or run as a daemon.',
    )
    .version(version, '-V, --version')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError('(certkeeper --help lists commands and flags)')
    .exitOverride()
    .option(
      '-c, --config <file>',
      'YAML config file (default: $CERTKEEPER_CONFIG, else ./certkeeper.yaml if present)',
    )
    .option('--ca <name|url>', `ACME CA: ${Object.keys(CA_DIRECTORIES).join(', ')}, or a directory URL`)
    .option('--ca-bundle <file>', "PEM CA certificates to trust for the CA's HTTPS (a private CA)")
    .option(
      '--data-dir <dir>',
      'store directory (default: $XDG_DATA_HOME/certkeeper or ~/.local/share/certkeeper)',
    )
    .option('--account <name>', 'account name in the store (several accounts at one CA)')
    .option('--email <address>', 'account contact; repeat for several', collect)
    .option(
      '--dns <plugin>',
      'answer dns-01 with this DNS plugin (options from CERTKEEPER_<PLUGIN>_* variables)',
    )
    .option(
      '--dns-account-01',
      'with --dns (or the config’s dns-01 solver): prefer dns-account-01 where the CA offers it (records at _<account label>._acme-challenge.<name>)',
    )
    .option(
      '--dns-persist-01',
      'with --dns (or the config’s dns-01 solver): prefer dns-persist-01 where the CA offers it, answered from the record `certkeeper persist publish` made (no DNS writes)',
    )
    .option('--http-webroot <dir>', 'answer http-01 by writing into this web server document root')
    .option('--http-standalone', 'answer http-01 with a built-in responder on :80 (see --http-listen)')
    .option(
      '--http-listen <address>',
      'where the built-in responder listens, e.g. 127.0.0.1:8080 behind a proxy',
    )
    .option(
      '--tls-alpn-standalone',
      'answer tls-alpn-01 with a built-in responder on :443 (see --tls-alpn-listen); proves names and IPs',
    )
    .option(
      '--tls-alpn-listen <address>',
      'where the built-in tls-alpn-01 responder listens, e.g. 127.0.0.1:8443 when 443 is forwarded to it',
    )
    .addOption(
      new Option('--key-type <type>', 'certificate key type').choices([
        'ec256',
        'ec384',
        'rsa2048',
        'rsa3072',
        'rsa4096',
      ]),
    )
    .option('--profile <name>', 'ACME profile to order (classic, tlsserver, shortlived at Let’s Encrypt)')
    .option('--eab-kid <kid>', 'External Account Binding key id (ZeroSSL, Google)')
    .option(
      '--eab-hmac-key <key>',
      'EAB HMAC key; prefer $CERTKEEPER_EAB_HMAC_KEY (command lines are visible to others)',
    )
    .option(
      '--allow-mixed-scripts',
      'accept names with a label that mixes scripts (e.g. a Cyrillic а among Latin letters), refused as homographs',
    )
    .option(
      '--agree-tos',
      "agree to the CA's terms of service when a new account is registered (the URL is printed)",
    )
    .option('--json', 'machine-readable output: JSON lines (issue, renew, run) or one JSON document')
    .option('-v, --verbose', 'JSON debug logs on stderr')
    .addHelpText('after', EXIT_CODES_HELP);

  // Commands load on use, so `--help` and a fresh `renew` do not pay for what they do not run.
  const context = async (command: Command): Promise<CommandContext> =>
    (await import('./commands/context.js')).createContext(command.optsWithGlobals() as GlobalFlags);

  program
    .command('init')
    .description('write a commented starting config file')
    .argument('[file]', 'where to write it', 'certkeeper.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--print', 'print it instead of writing it')
    .action(async (file: string, options: { force?: boolean; print?: boolean }, command: Command) => {
      result.code = await (await import('./commands/init.js')).initCommand(
        await context(command),
        file,
        options,
      );
    });

  program
    .command('issue')
    .description(
      'issue one certificate for these names now (kept as is when a fresh one exists); renew and run then keep it the same way',
    )
    .argument(
      '[names...]',
      'DNS names (*.example.com for a wildcard) and IP addresses; with --csr, its names',
    )
    .option(
      '--csr <file>',
      'order with this CSR of your own (PEM or DER): its names, your key; renewals reuse it',
    )
    .option('--force', 'order a new certificate even when a fresh one exists (rate limits still apply)')
    .option(
      '--output <dir>',
      'also write fullchain.pem, privkey.pem (not with --csr), cert.pem and chain.pem here',
    )
    .option(
      '--deploy-hook <command>',
      'run after issuance; split at spaces, no shell (see README for its variables)',
    )
    .option('--reuse-key', 'renewals keep this certificate’s private key (remembered like the other flags)')
    .option('--dry-run', DRY_RUN_HELP)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      async (
        names: string[],
        options: {
          force?: boolean;
          output?: string;
          deployHook?: string;
          reuseKey?: boolean;
          dryRun?: boolean;
          csr?: string;
        },
        command: Command,
      ) => {
        result.code = await (await import('./commands/issue.js')).issueCommand(
          await context(command),
          names,
          options,
        );
      },
    );

  program
    .command('renew')
    .description('renew what is due among the configured and stored certificates; cron-safe and idempotent')
    .argument('[names...]', 'only the certificate for exactly these names (configured, issued or stored)')
    .option('--force', 'renew every certificate now, fresh or not (rate limits still apply)')
    .option('--reuse-key', "renewals of this run keep each certificate's private key")
    .option(
      '--pre-hook <command>',
      'run once before the first order (not when all are fresh); split like --deploy-hook',
    )
    .option('--post-hook <command>', 'run once after the last order; split like --deploy-hook')
    .option(
      '--concurrency <n>',
      'certificates worked on at once, 1 to 64 (default defaults.concurrency, else 4)',
    )
    .option('--dry-run', DRY_RUN_HELP)
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}\n\nCron: 17 3,15 * * * certkeeper renew --config /etc/certkeeper.yaml\nsystemd: SuccessExitStatus=3 4 in the service unit treats "deferred" and "renewed" as success.`,
    )
    .action(
      async (
        names: string[],
        options: {
          force?: boolean;
          preHook?: string;
          postHook?: string;
          reuseKey?: boolean;
          concurrency?: string;
          dryRun?: boolean;
        },
        command: Command,
      ) => {
        result.code = await (await import('./commands/renew.js')).renewCommand(
          await context(command),
          options,
          names,
        );
      },
    );

  program
    .command('run')
    .description(
      'daemon: keep every certificate fresh; /metrics and /healthz on daemon.listen; stops on SIGTERM/SIGINT',
    )
    .option(
      '--pre-hook <command>',
      'run once before the first order of a sweep that has one; split like --deploy-hook',
    )
    .option('--post-hook <command>', 'run once after the last order of such a sweep')
    .option(
      '--concurrency <n>',
      'certificates a sweep works on at once, 1 to 64 (default defaults.concurrency, else 4)',
    )
    .action(
      async (options: { preHook?: string; postHook?: string; concurrency?: string }, command: Command) => {
        result.code = await (await import('./commands/run.js')).runCommand(await context(command), options);
      },
    );

  program
    .command('status')
    .description(
      'every certificate of every CA and account in the store: expiry, next renewal and why, key type, files, deployment, last error',
    )
    .option('--wide', 'one table row per certificate (about 170 columns) with the rate-limit budget left')
    .option('--check', 'monitoring: one summary line; exit 1 if any certificate needs attention (see README)')
    .addHelpText(
      'after',
      `
Exit codes with --check:
  0  every certificate is valid, renewing on time and deployed
  1  one needs attention: expired, revoked, not issued yet, failing, deploy
     failed or not deployed, renewal overdue by a day — or none at all;
     or a dns-persist-01 record (persist publish) lapses within 30 days
  2  usage: a bad flag or config`,
    )
    .action(async (options: { wide?: boolean; check?: boolean }, command: Command) => {
      result.code = await (await import('./commands/status.js')).statusCommand(
        await context(command),
        options,
      );
    });

  program
    .command('certificates')
    .alias('list')
    .description("each stored certificate's names, expiry and file paths (like certbot certificates)")
    .action(async (_options: unknown, command: Command) => {
      result.code = await (await import('./commands/certificates.js')).certificatesCommand(
        await context(command),
      );
    });

  program
    .command('forget')
    .description(
      'stop keeping the certificate for exactly these names: its recipe and stored copy go, its output directory stays',
    )
    .argument('<names...>', 'the names of the certificate')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (names: string[], _options: unknown, command: Command) => {
      result.code = await (await import('./commands/forget.js')).forgetCommand(await context(command), names);
    });

  program
    .command('revoke')
    .description('revoke the stored certificate for exactly these names; the next renew replaces it')
    .argument('<names...>', 'the names of the certificate')
    .addOption(
      new Option('--reason <reason>', 'RFC 5280 reason').choices([
        'unspecified',
        'keyCompromise',
        'affiliationChanged',
        'superseded',
        'cessationOfOperation',
      ]),
    )
    .action(async (names: string[], options: { reason?: string }, command: Command) => {
      result.code = await (await import('./commands/revoke.js')).revokeCommand(
        await context(command),
        names,
        options,
      );
    });

  const account = program
    .command('account')
    .description('the ACME account: register, show, rollover, deactivate');
  account
    .command('register')
    .description(
      'register the account at the CA (issue and renew do it on first use); a stored account is checked with the CA',
    )
    .option(
      '--new',
      'the CA deactivated or forgot the stored account: register a new account key and replace the stored account',
    )
    .action(async (options: { new?: boolean }, command: Command) => {
      result.code = await (await import('./commands/account.js')).accountCommand(
        await context(command),
        'register',
        options,
      );
    });
  account
    .command('show')
    .description("show the stored account and the CA's view of it")
    .option('--local', 'do not ask the CA')
    .action(async (options: { local?: boolean }, command: Command) => {
      result.code = await (await import('./commands/account.js')).accountCommand(
        await context(command),
        'show',
        options,
      );
    });
  account
    .command('rollover')
    .description('replace the account key (RFC 8555 §7.3.5); the new key is stored before the CA is asked')
    .addOption(
      new Option('--key-algorithm <alg>', 'algorithm of the new key').choices(['ES256', 'ES384', 'RS256']),
    )
    .action(async (options: { keyAlgorithm?: string }, command: Command) => {
      result.code = await (await import('./commands/account.js')).accountCommand(
        await context(command),
        'rollover',
        options,
      );
    });
  account
    .command('deactivate')
    .description('deactivate the account at the CA — irreversible')
    .option('--yes', 'confirm')
    .action(async (options: { yes?: boolean }, command: Command) => {
      result.code = await (await import('./commands/account.js')).accountCommand(
        await context(command),
        'deactivate',
        options,
      );
    });

  program
    .command('acme-dns')
    .description('acme-dns delegation: register a domain, get the CNAME to create')
    .command('register')
    .description(
      'create an acme-dns account for a domain; stores its credentials (0600) and prints the CNAME',
    )
    .argument(
      '<domain>',
      'the domain certificates are for (example.com; *.example.com uses the same account)',
    )
    .option('--server <url>', 'the acme-dns server (default: apiUrl of an acme-dns solver in the config)')
    .option(
      '--credentials <file>',
      'JSON file of accounts to add to (default: the solver’s accounts file, else ./acme-dns.json)',
    )
    .option('--allow-from <cidr>', 'only accept updates from this network; repeat for several', collect)
    .action(
      async (
        domain: string,
        options: { server?: string; credentials?: string; allowFrom?: string[] },
        command: Command,
      ) => {
        result.code = await (await import('./commands/acme-dns-register.js')).acmeDnsRegisterCommand(
          await context(command),
          domain,
          options,
        );
      },
    );

  const persist = program
    .command('persist')
    .description(
      'the standing dns-persist-01 record (_validation-persist.<name>) of this account: show it, publish it once, check it',
    );
  const persistAction =
    (action: 'show' | 'publish' | 'check') =>
    async (names: string[], options: { issuer?: string; persistUntil?: string }, command: Command) => {
      result.code = await (await import('./commands/persist.js')).persistCommand(
        await context(command),
        action,
        names,
        options,
      );
    };
  const persistArguments = (command: Command) =>
    command
      .argument('<names...>', 'DNS names; *.example.com adds policy=wildcard to example.com’s record')
      .option(
        '--issuer <domain>',
        'issuer domain name to write (default: the CA’s first caaIdentities entry)',
      );
  persistArguments(persist.command('show'))
    .description('print the TXT record to create by hand (--json: name and value)')
    .option('--persist-until <date>', 'the CA ignores the record after this (ISO date, or 365d)')
    .action(persistAction('show'));
  persistArguments(persist.command('publish'))
    .description(
      'write the record once through the DNS solver’s provider and wait until every authoritative server has it',
    )
    .option(
      '--persist-until <date>',
      'the CA ignores the record after this (ISO date, or 365d); status warns 30 days ahead',
    )
    .action(persistAction('publish'));
  persistArguments(persist.command('check'))
    .description(
      'read-only: ask every authoritative server; exit 1 naming those without a record authorizing this account',
    )
    .action(persistAction('check'));

  program
    .command('plugins')
    .description('DNS provider plugins: installed or not, and their options')
    .action(async (_options: unknown, command: Command) => {
      result.code = await (await import('./commands/plugins.js')).pluginsCommand(await context(command));
    });

  program
    .command('completion')
    .description('print a shell completion script for these commands and flags')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      '\nbash: source <(certkeeper completion bash)   zsh: source <(certkeeper completion zsh)   fish: certkeeper completion fish | source',
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      result.code = (await import('./commands/completion.js')).completionCommand(program, shell, (text) =>
        process.stdout.write(text),
      );
    });

  return program;
}
