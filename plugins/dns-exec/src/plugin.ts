import { type DnsProvider, type DnsProviderPlugin, defineDnsProviderPlugin } from '@certkeeper/dns';
import { ExecDnsProvider } from './exec-provider.js';
import type { ExecOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration a config file gives: the same fields as {@link ExecOptions}. */
export type ExecPluginConfig = ExecOptions;

/** Loads the provider by package name: `configSchema` documents the options, `create` validates them. */
export const execPlugin: DnsProviderPlugin<ExecPluginConfig> = defineDnsProviderPlugin<ExecPluginConfig>({
  name: 'exec',
  version: VERSION,
  configSchema: {
    type: 'object',
    properties: {
      program: { type: 'string', description: 'Program to run (lego EXEC_PATH); an absolute path is best.' },
      programArgs: {
        type: 'array',
        description: 'Arguments before the action, e.g. ["hook.js"] with program "node".',
      },
      ttlArgument: {
        type: 'boolean',
        description: 'Append the TTL to "present" as a fourth argument (default true).',
      },
      list: {
        type: 'boolean',
        description: 'The program implements "list <zone.> [<fqdn.>]" (default false).',
      },
      timeoutMs: { type: 'number', description: 'Time limit per run in milliseconds (default 60000).' },
      killGraceMs: {
        type: 'number',
        description: 'Wait between SIGTERM and SIGKILL after the time limit (default 5000).',
      },
      env: { type: 'object', description: 'Extra environment variables for the program.' },
      inheritEnv: {
        type: 'boolean',
        description: "Pass certkeeper's environment on (default true, as lego does).",
      },
      cwd: { type: 'string', description: 'Working directory of the program.' },
      stderrLimit: {
        type: 'number',
        description: 'Bytes of the end of stderr kept in errors (default 2048).',
      },
      concurrency: { type: 'number', description: 'Runs at once (default 1, like lego).' },
    },
    required: ['program'],
  },
  about: {
    service: 'Any program (lego exec-compatible hook)',
    auth: "Whatever the program uses; it inherits certkeeper's environment unless inheritEnv is false, so pass it only the credentials it needs.",
    notes:
      'Runs present/cleanup (and list, if the program implements it) one at a time by default; two certkeeper processes at once are safe only if the program is.',
    homepage: 'https://go-acme.github.io/lego/dns/exec/',
  },
  create: (config) => exec(config),
});

/** Creates the provider; see {@link ExecOptions}. Runs nothing until the first call. */
export function exec(options: ExecOptions): ExecDnsProvider {
  // `satisfies` keeps the port contract checked at compile time (STYLE.md, "What to take" 9).
  return new ExecDnsProvider(options) satisfies DnsProvider;
}
