import { access, constants } from 'node:fs/promises';
import { CertkeeperError, type ChallengeSolver, ErrorCodes, scopeSolvers } from '@certkeeper/core';
import { configInvalid } from '../config/config-error.js';
import type { SecretContext } from '../config/secret-reference.js';
import { loadDnsPlugin } from '../plugins/load-plugin.js';
import {
  createProvider,
  optionEnvName,
  optionsFromEnvironment,
  PluginOptionsError,
} from '../plugins/plugin-options.js';
import type { SolverSpec } from '../settings/settings.js';

/** A solver's own listener (http-01 on :80, tls-alpn-01 on :443). */
export interface StandaloneResponder {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

export interface BuiltSolvers {
  readonly solvers: readonly ChallengeSolver[];
  /**
   * The standalone responders, stopped on close. They bind their port only when an order is about to be placed
   * (http-01: `prepare`, under the certificate's lease; tls-alpn-01: its first publish, inside the order), so runs
   * that coalesce on another run's order never touch the port.
   */
  readonly responders: readonly StandaloneResponder[];
  stop(): Promise<void>;
}

export interface SolverBuildContext extends SecretContext {
  readonly searchFrom: readonly string[];
  /** The lock runs sharing the store take before binding a responder's port (see portLease). */
  readonly portLock?: (address: {
    readonly host?: string;
    readonly port: number;
  }) => (signal?: AbortSignal) => Promise<() => Promise<void>>;
}

/**
 * Build every configured solver without touching the network: DNS plugins are imported and their options
 * checked and their providers created; a webroot must exist and be writable. Fails with one clear error before
 * any order when a plugin is missing, an option is wrong or a secret is unavailable.
 */
export async function buildSolvers(
  specs: readonly SolverSpec[],
  context: SolverBuildContext,
): Promise<BuiltSolvers> {
  const solvers: ChallengeSolver[] = [];
  const responders: StandaloneResponder[] = [];
  // Solver packages load only when configured: a fresh `renew` should not pay for DNS code it does not use.
  for (const spec of specs) {
    if (spec.type === 'http-01-standalone') {
      const { StandaloneHttp01Solver } = await import('@certkeeper/http01');
      const standalone = new StandaloneHttp01Solver({
        ...(spec.listen.host ? { host: spec.listen.host } : {}),
        port: spec.listen.port,
        stopWhenIdle: true,
        ...(context.portLock ? { portLock: context.portLock(spec.listen) } : {}),
        portOption:
          spec.where() === '--http-standalone'
            ? '--http-listen <host:port>'
            : `${spec.where('listen')} in the config file`,
      });
      responders.push(standalone);
      solvers.push(standalone);
    } else if (spec.type === 'tls-alpn-01-standalone') {
      const { StandaloneTlsAlpn01Solver } = await import('@certkeeper/tlsalpn01');
      const standalone = new StandaloneTlsAlpn01Solver({
        ...(spec.listen.host ? { host: spec.listen.host } : {}),
        port: spec.listen.port,
        stopWhenIdle: true,
      });
      responders.push(standalone);
      solvers.push(standalone);
    } else if (spec.type === 'http-01-webroot') {
      await access(spec.webroot, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
        throw new CertkeeperError(
          ErrorCodes.OUTPUT_NOT_WRITABLE,
          `${spec.where('webroot')}: the webroot ${spec.webroot} ${error.code === 'ENOENT' ? 'does not exist' : `is not writable (${error.code})`}; nothing was ordered.`,
          { hint: "point it at the web server's document root for these names; it is never created." },
        );
      });
      const { WebrootHttp01Solver } = await import('@certkeeper/http01');
      solvers.push(new WebrootHttp01Solver({ webroot: spec.webroot }));
    } else {
      solvers.push(await dnsSolver(spec, context));
    }
  }
  return {
    // One solver per spec, in order: each answers for its spec's domains (the most specific wins).
    solvers: scopeSolvers(solvers.map((solver, index) => ({ solver, domains: specs[index]!.domains }))),
    responders,
    stop: async () => {
      await Promise.all(responders.map((responder) => responder.stop()));
    },
  };
}

async function dnsSolver(
  spec: Extract<SolverSpec, { type: 'dns-01' }>,
  context: SecretContext & { readonly searchFrom: readonly string[] },
): Promise<ChallengeSolver> {
  const { plugin } = await loadDnsPlugin(spec.provider, {
    searchFrom: context.searchFrom,
    where: spec.where(),
  });
  const where = spec.optionsFromEnvironment
    ? (key?: string) => (key ? `$${optionEnvName(plugin.name, key)}` : `--dns ${spec.provider}`)
    : spec.where;
  const options = spec.optionsFromEnvironment ? optionsFromEnvironment(plugin, context.env) : spec.options;
  let provider: Awaited<ReturnType<typeof createProvider>>;
  try {
    provider = await createProvider(plugin, options, { ...context, where });
  } catch (error) {
    if (!(error instanceof PluginOptionsError)) throw error;
    throw configInvalid(
      `the options of DNS plugin ${plugin.name}`,
      error.problems.map((problem) => `${where(problem.key, problem.unknown)}: ${problem.message}`),
      spec.optionsFromEnvironment
        ? `set the options as CERTKEEPER_${plugin.name.toUpperCase()}_* variables (\`certkeeper plugins\` lists them), or configure the solver in the config file.`
        : `fix the options named above; \`certkeeper plugins\` lists the options of ${plugin.name}.`,
    );
  }
  const { Dns01Solver } = await import('@certkeeper/dns');
  return new Dns01Solver({
    provider,
    discovery: {
      ...(spec.zones ? { zones: spec.zones } : {}),
      ...(spec.resolvers ? { resolvers: spec.resolvers } : {}),
      ...(spec.nameservers ? { fixedServers: spec.nameservers } : {}),
    },
    ...(spec.propagationTimeoutMs ? { propagation: { timeoutMs: spec.propagationTimeoutMs } } : {}),
    ...(spec.ttl ? { ttl: spec.ttl } : {}),
    ...(spec.dnsAccount01 ? { dnsAccount01: true } : {}),
    ...(spec.dnsPersist01 ? { dnsPersist01: true } : {}),
  });
}
