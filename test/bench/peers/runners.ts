import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCa } from '../../cli/support/cli-harness.js';
import { cliPath } from '../../cli/support/cli-harness.js';
import { type Measured, measure } from './measure.js';
import { BENCH_ZONE, type Scenario } from './scenarios.js';

/** What one run of one client in one scenario gets: a fresh directory, the CA, the names to certify. */
export interface RunContext {
  readonly scenario: Scenario;
  readonly certificates: string[][];
  /** Fresh for this run: store, config, outputs. */
  readonly dir: string;
  /** Shared by every run: HOME, so a cache a client keeps there (Node's compile cache) stays warm as in real use. */
  readonly home: string;
  readonly ca: TestCa;
  /** The dns-01 hook (present|cleanup <fqdn.> <value>) publishing in pebble-challtestsrv, for exec-style clients. */
  readonly execHook: string;
}

export interface Runner {
  readonly id: string;
  readonly label: string;
  readonly certkeeper: boolean;
  /** Why this runner cannot run here (not installed), or undefined. */
  readonly unavailable?: string;
  run(context: RunContext): Promise<Measured>;
}

/** Extra Node flags for certkeeper's processes only (profiling: `CERTKEEPER_BENCH_NODE_ARGS=--cpu-prof`). */
const certkeeperNodeArgs = (process.env.CERTKEEPER_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

const env = (context: RunContext, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: context.home,
  TERM: 'dumb',
  ...extra,
});

/**
 * Several processes in a row count as one run: summed wall time and CPU time, the largest peak RSS, the first
 * failure.
 */
async function inSequence(steps: (() => Promise<Measured>)[]): Promise<Measured> {
  let wallMs = 0;
  let cpuMs = 0;
  let rssMb = 0;
  let output = '';
  for (const step of steps) {
    const result = await step();
    wallMs += result.wallMs;
    cpuMs += result.cpuMs;
    rssMb = Math.max(rssMb, result.rssMb);
    output += result.output;
    if (result.code !== 0) return { wallMs, rssMb, cpuMs, code: result.code, output };
  }
  return { wallMs, rssMb, cpuMs, code: 0, output };
}

/** The solver lines of a bench config answering http-01 on the port Pebble's VA uses. */
export const http01StandaloneSolver = (ca: TestCa): string => `  - type: http-01-standalone
    listen: 127.0.0.1:${ca.httpPort}`;

/**
 * A bench's certkeeper config: the CA, a new account that agrees to the terms, the store in ./data, one solver
 * (its YAML lines), and these certificates when there are any.
 */
export function benchConfig(
  ca: TestCa,
  solver: string,
  certificates: readonly (readonly string[])[] = [],
): string {
  const listed = certificates.length
    ? `certificates:\n${certificates.map((names) => `  - names: [${names.map((n) => `'${n}'`).join(', ')}]`).join('\n')}\n`
    : '';
  return `ca:
  directory: ${ca.proxy.directoryUrl}
  caBundle: ${ca.caBundleFile}
account:
  email: ops@example.test
  agreeTos: true
store:
  directory: ./data
solvers:
${solver}
${listed}`;
}

function certkeeperConfig(context: RunContext, withCertificates: boolean): string {
  const { ca, scenario } = context;
  const solver =
    scenario.challenge === 'http-01'
      ? http01StandaloneSolver(ca)
      : `  - type: dns-01
    provider: exec
    options:
      program: ${context.execHook}
    zones: [${BENCH_ZONE}]
    nameservers: [127.0.0.1:${ca.pebble.dnsPort}]`;
  return benchConfig(ca, solver, withCertificates ? context.certificates : []);
}

const certkeeperRenew: Runner = {
  id: 'certkeeper-renew',
  label: 'certkeeper (one `renew`, config)',
  certkeeper: true,
  async run(context) {
    await writeFile(join(context.dir, 'certkeeper.yaml'), certkeeperConfig(context, true));
    const result = await measure(process.execPath, [...certkeeperNodeArgs, cliPath, 'renew'], {
      cwd: context.dir,
      env: env(context),
      rssFile: join(context.dir, 'rss'),
    });
    // renew's exit 4: something was issued, nothing failed.
    return { ...result, code: result.code === 4 ? 0 : result.code };
  },
};

const certkeeperIssue: Runner = {
  id: 'certkeeper-issue',
  label: 'certkeeper (`issue` per certificate)',
  certkeeper: true,
  async run(context) {
    await writeFile(join(context.dir, 'certkeeper.yaml'), certkeeperConfig(context, false));
    return inSequence(
      context.certificates.map(
        (names) => () =>
          measure(process.execPath, [...certkeeperNodeArgs, cliPath, 'issue', ...names], {
            cwd: context.dir,
            env: env(context),
            rssFile: join(context.dir, 'rss'),
          }),
      ),
    );
  },
};

const acmeClientScript = join(import.meta.dirname, 'acme-client-run.mjs');

function acmeClient(backoffMs: number | undefined): Runner {
  return {
    id: backoffMs ? `acme-client-${backoffMs}ms` : 'acme-client',
    label: backoffMs ? `acme-client 5.4, ${backoffMs} ms backoff` : 'acme-client 5.4',
    certkeeper: false,
    run(context) {
      const job = {
        directoryUrl: context.ca.proxy.directoryUrl,
        caBundleFile: context.ca.caBundleFile,
        httpPort: context.ca.httpPort,
        challtestsrvUrl: context.ca.pebble.challtestsrv.url,
        challenge: context.scenario.challenge,
        backoffMs,
        certificates: context.certificates,
      };
      return measure(process.execPath, [acmeClientScript, JSON.stringify(job)], {
        cwd: context.dir,
        env: env(context),
        rssFile: join(context.dir, 'rss'),
      });
    },
  };
}

function installed(program: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const notInstalled = (program: string) =>
  `${program} is not installed (apt-get install ${program} to compare with it); skipped`;

function certbot(): Runner {
  const path = installed('certbot');
  return {
    id: 'certbot',
    label: 'certbot',
    certkeeper: false,
    ...(path ? {} : { unavailable: notInstalled('certbot') }),
    async run(context) {
      const dirs = ['config', 'work', 'logs'].map((d) => join(context.dir, 'certbot', d));
      for (const d of dirs) await mkdir(d, { recursive: true });
      const hook = (action: string) =>
        `sh -c '${context.execHook} ${action} "_acme-challenge.$CERTBOT_DOMAIN." "$CERTBOT_VALIDATION"'`;
      const solver =
        context.scenario.challenge === 'http-01'
          ? ['--standalone', '--http-01-address', '127.0.0.1', '--http-01-port', String(context.ca.httpPort)]
          : [
              '--manual',
              '--preferred-challenges',
              'dns',
              '--manual-auth-hook',
              hook('present'),
              '--manual-cleanup-hook',
              hook('cleanup'),
            ];
      return inSequence(
        context.certificates.map(
          (names) => () =>
            measure(
              path!,
              [
                'certonly',
                '--non-interactive',
                '--agree-tos',
                '-m',
                'ops@example.test',
                '--key-type',
                'ecdsa',
                '--server',
                context.ca.proxy.directoryUrl,
                '--config-dir',
                dirs[0]!,
                '--work-dir',
                dirs[1]!,
                '--logs-dir',
                dirs[2]!,
                ...solver,
                ...names.flatMap((n) => ['-d', n]),
              ],
              {
                cwd: context.dir,
                env: env(context, { REQUESTS_CA_BUNDLE: context.ca.caBundleFile }),
                rssFile: join(context.dir, 'rss'),
              },
            ),
        ),
      );
    },
  };
}

function lego(): Runner {
  const path = installed('lego');
  return {
    id: 'lego',
    label: 'lego',
    certkeeper: false,
    ...(path ? {} : { unavailable: notInstalled('lego') }),
    run(context) {
      const solver =
        context.scenario.challenge === 'http-01'
          ? ['--http', '--http.port', `127.0.0.1:${context.ca.httpPort}`]
          : ['--dns', 'exec', '--dns.resolvers', `127.0.0.1:${context.ca.pebble.dnsPort}`];
      return inSequence(
        context.certificates.map(
          (names) => () =>
            measure(
              path!,
              [
                '--accept-tos',
                '--email',
                'ops@example.test',
                '--key-type',
                'ec256',
                '--server',
                context.ca.proxy.directoryUrl,
                '--path',
                join(context.dir, 'lego'),
                ...solver,
                ...names.flatMap((n) => ['-d', n]),
                'run',
              ],
              {
                cwd: context.dir,
                env: env(context, {
                  LEGO_CA_CERTIFICATES: context.ca.caBundleFile,
                  EXEC_PATH: context.execHook,
                }),
                rssFile: join(context.dir, 'rss'),
              },
            ),
        ),
      );
    },
  };
}

export function allRunners(backoffMs: number): Runner[] {
  return [certkeeperRenew, certkeeperIssue, acmeClient(undefined), acmeClient(backoffMs), certbot(), lego()];
}
