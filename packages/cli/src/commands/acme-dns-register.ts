import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CertkeeperError, ErrorCodes, processSecretRedactor } from '@certkeeper/core';
import { normalizeName } from '@certkeeper/dns';
import { type AcmeDnsAccount, parseAccounts, registerAccount } from '@certkeeper/dns-acme-dns';
import { writeFileDurably } from '@certkeeper/store';
import { loadConfig } from '../config/load-config.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { configFileOf } from '../settings/resolve-settings.js';
import type { CommandContext } from './context.js';

export interface AcmeDnsRegisterOptions {
  readonly server?: string;
  readonly credentials?: string;
  readonly allowFrom?: readonly string[];
}

/**
 * `certkeeper acme-dns register <domain>`: creates an account on an acme-dns server for one domain, keeps its
 * credentials in a 0600 JSON file (domain → account, the file the acme-dns plugin's `accounts: { file }` reads,
 * written durably: never half a file), and prints the CNAME to create — never the password. A domain already in the
 * file is not registered again: its CNAME is printed, so running the command twice is safe. The server and the file
 * default to those of an acme-dns solver in the config.
 */
export async function acmeDnsRegisterCommand(
  context: CommandContext,
  name: string,
  options: AcmeDnsRegisterOptions,
): Promise<ExitCodeValue> {
  const domain = normalizeName(name.replace(/^\*\./, ''));
  const defaults = await configuredSolver(context);
  const server = options.server ?? defaults.apiUrl;
  if (!server)
    throw new CertkeeperError(ErrorCodes.CONFIG_INVALID, 'Which acme-dns server? Nothing was done.', {
      hint: 'pass --server https://auth.acme-dns.io (or the URL of your own), or configure an acme-dns solver with apiUrl.',
    });
  const file = resolve(context.cwd, options.credentials ?? defaults.accountsFile ?? 'acme-dns.json');
  const existing = await readAccounts(file);
  const known = existing[domain];
  const account =
    known ?? (await registerAccount(server, options.allowFrom ? { allowFrom: options.allowFrom } : {}));
  if (!known) {
    const text = `${JSON.stringify({ ...existing, [domain]: account }, null, 2)}\n`;
    await writeFileDurably(file, text, 0o600).catch((error: unknown) => {
      throw new CertkeeperError(
        ErrorCodes.CONFIG_INVALID,
        `acme-dns registered ${domain} (${account.fulldomain}) but its credentials could not be written to ${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}.`,
        {
          hint: 'fix the directory or pass --credentials, then run the command again (the unused account is harmless).',
        },
      );
    });
  }
  const cname = { name: `_acme-challenge.${domain}`, target: account.fulldomain };
  context.print(render(domain, server, file, cname, !known), {
    event: 'acme-dns-register',
    domain,
    created: !known,
    apiUrl: server,
    cname,
    credentialsFile: file,
  });
  return ExitCode.OK;
}

function render(
  domain: string,
  server: string,
  file: string,
  cname: { name: string; target: string },
  created: boolean,
) {
  return [
    created ? `registered ${domain} at ${server}` : `${domain} is already registered in ${file}`,
    '',
    `Create this record in the zone of ${domain} (once; it never changes):`,
    `  ${cname.name}. CNAME ${cname.target}.`,
    '',
    `The credentials are in ${file} (mode 0600). Use them in the config:`,
    '  solvers:',
    '    - type: dns-01',
    '      provider: acme-dns',
    '      options:',
    `        apiUrl: ${server}`,
    `        accounts: { file: ${file} }`,
  ].join('\n');
}

/** The file's accounts (domain → account); none when it does not exist yet. */
async function readAccounts(file: string): Promise<Record<string, AcmeDnsAccount>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CertkeeperError(
      ErrorCodes.SECRET_UNAVAILABLE,
      `The acme-dns credentials file ${file} cannot be read. Nothing was done.`,
      {
        hint: 'run certkeeper as the user that owns it, or pass --credentials.',
        cause: error,
      },
    );
  }
  const accounts = parseAccounts(text);
  // Known before anything is printed: nothing this command says may carry a password.
  for (const account of accounts.values()) processSecretRedactor().register(account.password);
  return Object.fromEntries(accounts);
}

/** `apiUrl` and the `accounts: { file }` path of an acme-dns solver in the config, if there is one. */
async function configuredSolver(
  context: CommandContext,
): Promise<{ apiUrl?: string; accountsFile?: string }> {
  const file = await configFileOf(context.flags, context);
  if (!file) return {};
  const { config } = await loadConfig(file);
  const solver = (config.solvers ?? []).find(
    (candidate) =>
      candidate.type === 'dns-01' && ['acme-dns', '@certkeeper/dns-acme-dns'].includes(candidate.provider),
  ) as { options?: { apiUrl?: unknown; accounts?: unknown } } | undefined;
  const apiUrl = solver?.options?.apiUrl;
  const accounts = solver?.options?.accounts as { file?: unknown } | undefined;
  return {
    ...(typeof apiUrl === 'string' ? { apiUrl } : {}),
    ...(typeof accounts?.file === 'string' ? { accountsFile: resolve(dirname(file), accounts.file) } : {}),
  };
}
