import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { AuthoritativeServer } from '../discovery/authoritative-servers.js';
import type { DnsDiscovery } from '../discovery/dns-discovery.js';
import { normalizeName } from '../names/dns-name.js';
import type { LookupContext, QueryStats } from '../wire/dns-message.js';
import { formatServerAddress, type ServerAddress, toServerAddress } from '../wire/server-address.js';
import { describeServer } from './describe-status.js';
import { mapWithLimit } from './map-with-limit.js';
import type { PropagationResult, ServerStatus } from './propagation-result.js';
import { nextCheckAt, type PollSchedule } from './schedule.js';
import { txtValuesAt } from './txt-values.js';

/**
 * A value the check accepts in several forms: satisfied when any TXT value at the name passes `test`. The
 * dns-persist-01 record is one (any `persistUntil`, any of the CA's issuer names); `label` stands for it in
 * `missing` and in messages.
 */
export interface TxtAcceptance {
  readonly label: string;
  test(value: string): boolean;
}

/** Values that must be visible at one name. */
export interface PropagationExpectation {
  /** Where the values were published (after CNAMEs). */
  readonly fqdn: string;
  readonly values: readonly string[];
  /** Also needed at this name: for each, some value that passes it. */
  readonly accept?: readonly TxtAcceptance[];
  /** The zone holding `fqdn`; located (following CNAMEs) when absent. */
  readonly zone?: string;
  /** The name the CA will query (`_acme-challenge.<name>`); recursive resolvers are asked this. Default `fqdn`. */
  readonly name?: string;
}

export interface PropagationCheckerOptions extends PollSchedule {
  /** Give up this long after the wait started. Default 10 minutes. */
  readonly timeoutMs?: number;
  /**
   * Let the zone's SOA lengthen the deadline: a secondary without NOTIFY catches up within `refresh` (plus `retry`
   * after a failed refresh); resolvers forget a cached NXDOMAIN after `minimum`. Capped by `maxTimeoutMs`.
   */
  readonly deriveTimeoutFromSoa?: boolean;
  /** Cap for SOA-derived deadlines. Default 1 hour. */
  readonly maxTimeoutMs?: number;
  /**
   * Recursive resolvers that must also return every value. Asked only once every authoritative server is ready,
   * so an early NXDOMAIN is never cached there. Default none (the CA uses its own resolvers anyway).
   */
  readonly recursiveResolvers?: readonly (string | ServerAddress)[];
  /** Queries in flight at once per check. Default 32. */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

export interface CheckOptions {
  /** When the records were published: the schedule and the deadline count from here. */
  readonly startedAt: Date;
  readonly signal?: AbortSignal;
}

/**
 * Checks that published TXT values are visible on **every address of every authoritative nameserver**, asked
 * directly and non-recursively, following CNAMEs in the answers; then, optionally, on configured recursive
 * resolvers. Never sleeps: one call is one round of queries, and says when to call again.
 */
export class PropagationChecker {
  private readonly recursive: ServerAddress[];

  constructor(
    private readonly discovery: DnsDiscovery,
    private readonly options: PropagationCheckerOptions = {},
  ) {
    this.recursive = (options.recursiveResolvers ?? []).map(toServerAddress);
  }

  async check(
    expectations: readonly PropagationExpectation[],
    options: CheckOptions,
  ): Promise<PropagationResult> {
    const stats: QueryStats = { queries: 0 };
    const context: LookupContext = { stats, ...(options.signal ? { signal: options.signal } : {}) };
    let targets: Awaited<ReturnType<PropagationChecker['resolveTargets']>>;
    try {
      targets = await this.resolveTargets(expectations, context);
    } catch (error) {
      // A transient discovery failure (a resolver timed out) is one more "not yet", not a crash of the job.
      if (!CertkeeperError.isInstance(error) || !error.retryable) throw error;
      return this.discoveryFailed(error, options, stats);
    }
    const authoritative = await mapWithLimit(
      targets.flatMap((target) => target.servers.map((server) => ({ target, server }))),
      this.options.concurrency ?? 32,
      ({ target, server }) => this.ask('authoritative', server, target.fqdn, target.expected, context),
    );
    const authoritativeReady = authoritative.every((status) => status.ready);
    const recursive =
      authoritativeReady && this.recursive.length > 0
        ? await mapWithLimit(
            targets.flatMap((target) => this.recursive.map((address) => ({ target, address }))),
            this.options.concurrency ?? 32,
            ({ target, address }) =>
              this.ask(
                'recursive',
                { nameserver: 'resolver', address },
                target.name,
                target.expected,
                context,
              ),
          )
        : [];
    const servers = [...authoritative, ...recursive];
    const checkedAt = this.now();
    const base = { checkedAt, queries: stats.queries, servers };
    const lagging = servers.filter((status) => !status.ready);
    if (lagging.length === 0 && authoritativeReady) {
      return {
        ...base,
        status: 'ready',
        detail: `All ${servers.length} server answers carry every expected value.`,
      };
    }
    const deadline = new Date(options.startedAt.getTime() + (await this.timeoutMs(targets, context)));
    const phase = authoritativeReady ? 'recursive resolver' : 'authoritative nameserver';
    if (checkedAt >= deadline) {
      const detail = `TXT records did not reach every ${phase} within ${Math.round((deadline.getTime() - options.startedAt.getTime()) / 1000)} s: ${lagging.map((status) => describeServer(status, true)).join('; ')}.`;
      const error = new CertkeeperError(ErrorCodes.DNS_PROPAGATION_TIMEOUT, detail, {
        hint:
          phase === 'authoritative nameserver'
            ? 'Check that the lagging nameservers receive NOTIFY and zone transfers from the primary, then order again.'
            : 'The resolvers may cache an old answer until its TTL ends; drop `recursiveResolvers` or wait for the TTL.',
        retryable: true,
      });
      return { ...base, status: 'failed', lagging, error, detail };
    }
    const next = nextCheckAt(options.startedAt, checkedAt, this.options);
    const checkAgainAt = next < deadline ? next : deadline;
    const records =
      targets.reduce((sum, target) => sum + target.expected.length, 0) === 1 ? 'record' : 'records';
    const detail = `Waiting for ${lagging.length} of ${servers.length} ${phase}s to serve the ${records}: ${lagging.map((status) => describeServer(status)).join('; ')}.`;
    return { ...base, status: 'pending', checkAgainAt, lagging, detail };
  }

  private discoveryFailed(
    error: CertkeeperError,
    options: CheckOptions,
    stats: QueryStats,
  ): PropagationResult {
    const checkedAt = this.now();
    const deadline = new Date(options.startedAt.getTime() + (this.options.timeoutMs ?? 10 * 60_000));
    const base = { checkedAt, queries: stats.queries, servers: [], lagging: [] };
    if (checkedAt >= deadline) {
      const timeout = new CertkeeperError(
        ErrorCodes.DNS_PROPAGATION_TIMEOUT,
        `Propagation could not be checked before the deadline: ${error.message}`,
        { retryable: true, cause: error },
      );
      return { ...base, status: 'failed', error: timeout, detail: timeout.message };
    }
    const next = nextCheckAt(options.startedAt, checkedAt, this.options);
    return {
      ...base,
      status: 'pending',
      checkAgainAt: next < deadline ? next : deadline,
      detail: error.message,
    };
  }

  private async resolveTargets(expectations: readonly PropagationExpectation[], context: LookupContext) {
    const byName = new Map<
      string,
      { fqdn: string; name: string; zone?: string; values: Set<string>; accept: TxtAcceptance[] }
    >();
    for (const expectation of expectations) {
      const fqdn = normalizeName(expectation.fqdn);
      const entry = byName.get(fqdn) ?? {
        fqdn,
        name: normalizeName(expectation.name ?? fqdn),
        ...(expectation.zone ? { zone: normalizeName(expectation.zone) } : {}),
        values: new Set<string>(),
        accept: [],
      };
      for (const value of expectation.values) entry.values.add(value);
      entry.accept.push(...(expectation.accept ?? []));
      byName.set(fqdn, entry);
    }
    return Promise.all(
      [...byName.values()].map(async (entry) => {
        const located = entry.zone ? undefined : await this.discovery.locator.locate(entry.fqdn, context);
        const zone = entry.zone ?? located!.zone;
        const fqdn = located?.fqdn ?? entry.fqdn;
        const { servers } = await this.discovery.servers.find(zone, context);
        const expected: TxtAcceptance[] = [
          ...[...entry.values]
            .sort()
            .map((value) => ({ label: value, test: (seen: string) => seen === value })),
          ...entry.accept,
        ];
        return { fqdn, name: entry.name, zone, expected, servers };
      }),
    );
  }

  private async ask(
    kind: ServerStatus['kind'],
    server: AuthoritativeServer,
    name: string,
    expected: readonly TxtAcceptance[],
    context: LookupContext,
  ): Promise<ServerStatus> {
    const base = {
      kind,
      nameserver: server.nameserver,
      address: formatServerAddress(server.address),
      name,
      expected: expected.length,
    };
    try {
      const response = await this.discovery.transport.query(
        server.address,
        { name, type: 'TXT', recursionDesired: kind === 'recursive' },
        context,
      );
      const { values } = txtValuesAt(response.answers, name);
      const missing = expected
        .filter((acceptance) => !values.some((value) => acceptance.test(value)))
        .map((acceptance) => acceptance.label);
      return {
        ...base,
        rcode: response.rcode,
        values,
        missing,
        latencyMs: response.latencyMs,
        transport: response.transport,
        ready: response.rcode === 'NOERROR' && missing.length === 0,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        ...base,
        values: [],
        missing: expected.map((acceptance) => acceptance.label),
        error: message,
        ready: false,
      };
    }
  }

  private async timeoutMs(targets: readonly { zone: string }[], context: LookupContext): Promise<number> {
    const configured = this.options.timeoutMs ?? 10 * 60_000;
    if (!this.options.deriveTimeoutFromSoa) return configured;
    const zones = [...new Set(targets.map((target) => target.zone))];
    const soas = await Promise.all(
      zones.map((zone) => this.discovery.servers.soa(zone, context).catch(() => undefined)),
    );
    const derived = Math.max(
      0,
      ...soas.map((soa) =>
        soa ? (soa.refresh + soa.retry + (this.recursive.length > 0 ? soa.minimum : 0)) * 1000 : 0,
      ),
    );
    return Math.max(configured, Math.min(derived, this.options.maxTimeoutMs ?? 3_600_000));
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
