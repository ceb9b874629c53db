import { resolve } from 'node:path';
import { normaliseDomain } from '@certkeeper/core';
import type { CertkeeperConfig, SolverConfig } from '../config/config-schema.js';
import type { ConfigPath } from '../config/config-source.js';
import type { LoadedConfig } from '../config/load-config.js';
import { located, where } from './config-location.js';
import type { GlobalFlags } from './global-flags.js';
import { parseListenAddress } from './listen-address.js';
import type { SolverSpec, Where } from './settings.js';

/**
 * Solvers from `--dns`/`--http-*`/`--tls-alpn-*` when any is given (http-01, then tls-alpn-01, then dns-01, so
 * dns-01 answers only wildcards), else the config's.
 */
export function solverSpecs(
  flags: GlobalFlags,
  config: CertkeeperConfig,
  loaded: LoadedConfig | undefined,
  context: { readonly cwd: string },
  problem: (location: string, path: ConfigPath | undefined, message: string) => void,
): SolverSpec[] {
  const standalone = flags.httpStandalone === true || flags.httpListen !== undefined;
  const tlsAlpn = flags.tlsAlpnStandalone === true || flags.tlsAlpnListen !== undefined;
  const flagged = flags.dns !== undefined || flags.httpWebroot !== undefined || standalone || tlsAlpn;
  const specs: SolverSpec[] = [];
  if (flagged) {
    if (standalone) {
      const listen = parseListenAddress(flags.httpListen ?? ':80');
      if (!listen)
        problem(
          '--http-listen',
          undefined,
          `expected host:port, :port or a port, got ${JSON.stringify(flags.httpListen)}`,
        );
      else
        specs.push({
          type: 'http-01-standalone',
          listen,
          where: (key) => (key === 'listen' ? '--http-listen' : '--http-standalone'),
        });
    }
    if (flags.httpWebroot !== undefined)
      specs.push({
        type: 'http-01-webroot',
        webroot: resolve(context.cwd, flags.httpWebroot),
        where: () => '--http-webroot',
      });
    if (specs.length === 2)
      problem(
        '--http-webroot',
        undefined,
        'give either --http-webroot or --http-standalone, not both (one http-01 solver)',
      );
    if (tlsAlpn) {
      const listen = parseListenAddress(flags.tlsAlpnListen ?? ':443');
      if (!listen)
        problem(
          '--tls-alpn-listen',
          undefined,
          `expected host:port, :port or a port, got ${JSON.stringify(flags.tlsAlpnListen)}`,
        );
      else
        specs.push({
          type: 'tls-alpn-01-standalone',
          listen,
          where: (key) => (key === 'listen' ? '--tls-alpn-listen' : '--tls-alpn-standalone'),
        });
    }
    if (flags.dns !== undefined) {
      const index = (config.solvers ?? []).findIndex((s) => s.type === 'dns-01' && s.provider === flags.dns);
      const configured =
        index >= 0 ? (config.solvers![index] as Extract<SolverConfig, { type: 'dns-01' }>) : undefined;
      specs.push(
        configured
          ? dnsSpec(configured, loaded, index)
          : {
              type: 'dns-01',
              provider: flags.dns,
              options: {},
              optionsFromEnvironment: true,
              where: (key) => (key ? `--dns ${flags.dns} (option ${key})` : `--dns ${flags.dns}`),
            },
      );
    }
    checkResponderPorts(specs, problem);
    return withDnsFlags(specs, flags, problem);
  }
  // One solver per challenge type answers every name; more of one type are for different domains (a webroot per
  // site, a DNS account per zone), each with its own `domains` — and a standalone responder owns its port alone.
  const unscoped = new Map<string, number>();
  const domainOwner = new Map<string, number>();
  for (const [index, solver] of (config.solvers ?? []).entries()) {
    const family = solver.type.replace(/-(standalone|webroot)$/, '');
    const whereOf: Where = (key) => located(loaded, key ? ['solvers', index, key] : ['solvers', index]);
    const domains = solver.domains?.map(normaliseDomain);
    if (!domains) {
      if (unscoped.has(family)) {
        problem(
          where(loaded, ['solvers', index, 'type']),
          ['solvers', index, 'type'],
          `a second ${family} solver for every name (solvers[${unscoped.get(family)}] is one already); give one of them domains: [...] to say which names it answers for`,
        );
        continue;
      }
      unscoped.set(family, index);
    } else {
      const taken = domains.find((domain) => domainOwner.has(`${family} ${domain}`));
      if (taken !== undefined) {
        problem(
          where(loaded, ['solvers', index, 'domains']),
          ['solvers', index, 'domains'],
          `${taken} is already in the domains of solvers[${domainOwner.get(`${family} ${taken}`)}], another ${family} solver; a name goes to one solver of each type`,
        );
        continue;
      }
      for (const domain of domains) domainOwner.set(`${family} ${domain}`, index);
    }
    const scope = domains ? { domains } : {};
    if (solver.type === 'http-01-standalone' || solver.type === 'tls-alpn-01-standalone') {
      if (specs.some((spec) => spec.type === solver.type)) {
        problem(
          where(loaded, ['solvers', index, 'type']),
          ['solvers', index, 'type'],
          `a second ${solver.type} solver; one responder listens for every name (leave out domains, or use http-01-webroot or dns-01 for the other names)`,
        );
        continue;
      }
      const listen = parseListenAddress(
        solver.listen ?? (solver.type === 'http-01-standalone' ? ':80' : ':443'),
      );
      if (!listen)
        problem(
          where(loaded, ['solvers', index, 'listen']),
          ['solvers', index, 'listen'],
          `expected host:port or :port, got ${JSON.stringify(solver.listen)}`,
        );
      else specs.push({ type: solver.type, listen, where: whereOf, ...scope });
    } else if (solver.type === 'http-01-webroot') {
      specs.push({
        type: solver.type,
        webroot: resolve(loaded?.directory ?? context.cwd, solver.webroot),
        where: whereOf,
        ...scope,
      });
    } else {
      specs.push({ ...dnsSpec(solver, loaded, index), ...scope });
    }
  }
  checkResponderPorts(specs, problem);
  return withDnsFlags(specs, flags, problem);
}

function withDnsFlags(
  specs: SolverSpec[],
  flags: GlobalFlags,
  problem: (location: string, path: ConfigPath | undefined, message: string) => void,
): SolverSpec[] {
  const withAccount = withDnsFlag(specs, flags.dnsAccount01, '--dns-account-01', 'dnsAccount01', problem);
  return withDnsFlag(withAccount, flags.dnsPersist01, '--dns-persist-01', 'dnsPersist01', problem);
}

/**
 * `--dns-account-01` / `--dns-persist-01` turn that challenge type on for the DNS solver; without one they have
 * nothing to act on.
 */
function withDnsFlag(
  specs: SolverSpec[],
  given: boolean | undefined,
  flag: string,
  key: 'dnsAccount01' | 'dnsPersist01',
  problem: (location: string, path: ConfigPath | undefined, message: string) => void,
): SolverSpec[] {
  if (given !== true) return specs;
  if (!specs.some((spec) => spec.type === 'dns-01')) {
    problem(
      flag,
      undefined,
      'needs a DNS solver: add --dns <plugin>, or a dns-01 solver in the config file (solvers: [{ type: dns-01, provider: <plugin> }])',
    );
    return specs;
  }
  return specs.map((spec) => (spec.type === 'dns-01' ? { ...spec, [key]: true } : spec));
}

/** The http-01 and tls-alpn-01 responders cannot share one port: the second could never bind it. */
function checkResponderPorts(
  specs: readonly SolverSpec[],
  problem: (location: string, path: ConfigPath | undefined, message: string) => void,
): void {
  const http = specs.find((spec) => spec.type === 'http-01-standalone');
  const tls = specs.find((spec) => spec.type === 'tls-alpn-01-standalone');
  if (!http || !tls || http.listen.port !== tls.listen.port || http.listen.port === 0) return;
  if (http.listen.host !== undefined && tls.listen.host !== undefined && http.listen.host !== tls.listen.host)
    return;
  problem(
    tls.where('listen'),
    undefined,
    `the tls-alpn-01 responder would listen on port ${tls.listen.port}, where the http-01 responder (${http.where('listen')}) listens; give each its own port (the CA connects to 80 for http-01, 443 for tls-alpn-01)`,
  );
}

function dnsSpec(
  solver: Extract<SolverConfig, { type: 'dns-01' }>,
  loaded: LoadedConfig | undefined,
  index: number,
): SolverSpec {
  return {
    type: 'dns-01',
    provider: solver.provider,
    options: solver.options ?? {},
    optionsFromEnvironment: false,
    ...(solver.zones ? { zones: solver.zones } : {}),
    ...(solver.resolvers ? { resolvers: solver.resolvers } : {}),
    ...(solver.nameservers ? { nameservers: solver.nameservers } : {}),
    ...(solver.propagationTimeout ? { propagationTimeoutMs: solver.propagationTimeout * 1000 } : {}),
    ...(solver.ttl ? { ttl: solver.ttl } : {}),
    ...(solver.dnsAccount01 ? { dnsAccount01: true } : {}),
    ...(solver.dnsPersist01 ? { dnsPersist01: true } : {}),
    where: (key, atKey) =>
      located(loaded, key ? ['solvers', index, 'options', key] : ['solvers', index, 'provider'], atKey),
  };
}
