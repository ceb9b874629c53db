import {
  CertkeeperError,
  type ChallengeSolver,
  type ChallengeTask,
  type ChallengeType,
  ErrorCodes,
  type Identifier,
  type PublicationReceipt,
  type ReadinessResult,
  type SolverContext,
} from '@certkeeper/core';
import {
  createDnsDiscovery,
  type DnsDiscovery,
  type DnsDiscoveryOptions,
} from '../discovery/dns-discovery.js';
import type { ChallengeLocation } from '../discovery/zone-locator.js';
import { challengeName, relativeName } from '../names/dns-name.js';
import { PropagationChecker, type PropagationCheckerOptions } from '../propagation/propagation-checker.js';
import type { PropagationResult } from '../propagation/propagation-result.js';
import { type DnsProvider, isChangeBatcher } from '../provider/dns-provider.js';
import type { DnsRecord } from '../provider/dns-record.js';
import { DnsPersistRecords, persistCheckAnswered, persistRecordMissing } from './dns-persist-records.js';
import { type Dns01ReceiptData, readReceipt } from './dns01-receipt.js';
import { persistCheckFrom, persistReceipt, readPersistReceipt } from './persist-receipt.js';

export interface Dns01SolverOptions {
  readonly provider: DnsProvider;
  /** Discovery wiring, or options to build it (resolvers, nameserver overrides, fixed servers...). */
  readonly discovery?: DnsDiscovery | DnsDiscoveryOptions;
  readonly propagation?: PropagationCheckerOptions;
  /** TTL of created records. Low, so a CA resolver that cached an early answer asks again soon. Default 60. */
  readonly ttl?: number;
  /** Time limit for cleanup, independent of the caller's signal so cleanup runs after a cancellation. Default 60 s. */
  readonly cleanupTimeoutMs?: number;
  readonly now?: () => Date;
  /**
   * Called with every propagation check and the time the last record was published (for metrics: time until each
   * nameserver had the records). Must not throw.
   */
  readonly onCheck?: (result: PropagationResult, publishedAt: Date) => void;
  /**
   * Also answer dns-account-01 (draft-ietf-acme-dns-account-label), and prefer it where the CA offers it: the
   * record goes at `_<account label>._acme-challenge.<name>`, so several accounts (workers, clusters, CAs'
   * clients) can validate one name at the same time without touching each other's records. dns-01 still answers
   * where the CA does not offer it. Default false: the CA must support the draft, and a CNAME delegating
   * `_acme-challenge.<name>` elsewhere (acme-dns) does not cover the account-scoped name below it.
   */
  readonly dnsAccount01?: boolean;
  /**
   * Also answer dns-persist-01 (draft-ietf-acme-dns-persist-00), and prefer it where the CA offers it: the
   * challenge is answered from the standing record at `_validation-persist.<name>` (published once, by
   * `DnsPersistRecords.publish` or by hand), so an order writes **nothing** to DNS. Before answering, the record
   * is checked read-only on every authoritative server; when one lacks it the order stops unanswered with
   * DNS_PERSIST_RECORD_MISSING (no failed validation spent). Default false.
   */
  readonly dnsPersist01?: boolean;
}

interface PlannedRecord {
  readonly task: ChallengeTask;
  readonly location: ChallengeLocation;
  readonly record: DnsRecord;
}

/**
 * The dns-01 solver: publishes **every** TXT record of an order first (batched per zone when the provider can),
 * lets one propagation wait cover them all, and deletes exactly what its receipts name.
 */
export class Dns01Solver implements ChallengeSolver {
  readonly type = 'dns-01' as const;
  /**
   * dns-persist-01 first when enabled (`dnsPersist01`), then dns-account-01 (`dnsAccount01`), then dns-01: the
   * engine takes the first one offered.
   */
  readonly types: readonly ChallengeType[];
  readonly discovery: DnsDiscovery;
  readonly checker: PropagationChecker;
  /** The DNS host; `DnsPersistRecords` publishes the standing dns-persist-01 record through it too. */
  readonly provider: DnsProvider;
  /** TTL of the records this solver creates. */
  readonly ttl: number;

  constructor(private readonly options: Dns01SolverOptions) {
    this.provider = options.provider;
    this.ttl = options.ttl ?? 60;
    this.types = [
      ...(options.dnsPersist01 ? (['dns-persist-01'] as const) : []),
      ...(options.dnsAccount01 ? (['dns-account-01'] as const) : []),
      'dns-01',
    ];
    this.discovery =
      options.discovery && 'locator' in options.discovery
        ? options.discovery
        : createDnsDiscovery({ provider: options.provider, ...options.discovery });
    this.checker = new PropagationChecker(this.discovery, options.propagation);
  }

  /** dns-01 and dns-account-01 validate DNS names only (RFC 8738 §7 forbids dns-01 for IP identifiers). */
  supports(identifier: Identifier): boolean {
    return identifier.type === 'dns';
  }

  /**
   * Creates all records, then returns one receipt per task. Idempotent (providers ignore existing values). When a
   * creation fails, every record of this call is deleted again before the error is thrown.
   */
  async publish(tasks: readonly ChallengeTask[], context: SolverContext = {}): Promise<PublicationReceipt[]> {
    const signalOption = context.signal ? { signal: context.signal } : {};
    // dns-persist-01 writes nothing: its receipt only says which standing record to look for.
    const standing = tasks.filter((task) => task.type === 'dns-persist-01').map(persistReceipt);
    const planned = await this.plan(
      tasks.filter((task) => task.type !== 'dns-persist-01'),
      signalOption,
    );
    if (planned.length === 0) return standing;
    try {
      await this.create(planned, signalOption);
    } catch (error) {
      const leftovers = await this.removeQuietly(planned);
      throw publishFailed(error, planned.length, leftovers, describeTypes(tasks));
    }
    const publishedAt = this.now().toISOString();
    const written = planned.map(({ task, location, record }) => ({
      authorizationUrl: task.authorizationUrl,
      type: task.type,
      data: {
        zone: location.zone,
        name: record.name,
        fqdn: location.fqdn,
        challengeName: location.name,
        value: record.value,
        ttl: record.ttl,
        publishedAt,
      } satisfies Dns01ReceiptData,
    }));
    return [...standing, ...written];
  }

  /** One propagation check over all receipts, with per-server detail. Never sleeps. */
  async checkPropagation(
    receipts: readonly PublicationReceipt[],
    context: SolverContext = {},
  ): Promise<PropagationResult> {
    const records = receipts.map(readReceipt);
    const startedAt = new Date(Math.max(...records.map((record) => Date.parse(record.publishedAt))));
    const result = await this.checker.check(
      records.map((record) => ({
        fqdn: record.fqdn,
        zone: record.zone,
        name: record.challengeName,
        values: [record.value],
      })),
      { startedAt, ...(context.signal ? { signal: context.signal } : {}) },
    );
    this.options.onCheck?.(result, startedAt);
    return result;
  }

  async checkReady(
    receipts: readonly PublicationReceipt[],
    context: SolverContext = {},
  ): Promise<ReadinessResult> {
    const standing = receipts.filter((receipt) => receipt.type === 'dns-persist-01');
    const written = receipts.filter((receipt) => receipt.type !== 'dns-persist-01');
    if (standing.length > 0) {
      // Read-only: the record was published beforehand, so a server answering without it is a setup problem, not
      // lag — the order stops at once. A server that does not answer is asked again until the deadline.
      const startedAt = persistCheckFrom(standing);
      const result = await new DnsPersistRecords(this).check(standing.map(readPersistReceipt), {
        ...context,
        ...(startedAt ? { startedAt } : {}),
      });
      if (result.status === 'pending' && !persistCheckAnswered(result))
        return { ready: false, checkAgainAt: result.checkAgainAt, detail: result.detail };
      if (result.status === 'failed' && !persistCheckAnswered(result))
        return {
          ready: false,
          checkAgainAt: result.checkedAt,
          detail: result.error.message,
          failed: true,
          code: result.error.code,
        };
      if (result.status !== 'ready') {
        const error = persistRecordMissing(result);
        return {
          ready: false,
          checkAgainAt: result.checkedAt,
          detail: `${error.message} Next: ${error.hint}`,
          failed: true,
          code: error.code,
        };
      }
    }
    if (written.length === 0) return { ready: true };
    const result = await this.checkPropagation(written, context);
    if (result.status === 'ready') return { ready: true };
    if (result.status === 'pending')
      return { ready: false, checkAgainAt: result.checkAgainAt, detail: result.detail };
    return { ready: false, checkAgainAt: result.checkedAt, detail: result.error.message, failed: true };
  }

  /**
   * Deletes exactly the receipts' records; absent records are fine. Tries every record, then throws one
   * `DNS_PROVIDER_FAILED` naming those it could not delete, so a retry can finish the job.
   */
  async cleanup(receipts: readonly PublicationReceipt[], _context?: SolverContext): Promise<void> {
    // The caller's signal is deliberately ignored: cleanup must run after a cancellation too (own timeout).
    // dns-persist-01 receipts name a standing record that stays: nothing of theirs is deleted.
    const records = receipts.filter((receipt) => receipt.type !== 'dns-persist-01').map(readReceipt);
    if (records.length === 0) return;
    const planned = records.map((data) => ({
      location: { zone: data.zone, fqdn: data.fqdn, name: data.challengeName, cnameChain: [] },
      record: { name: data.name, type: 'TXT' as const, value: data.value, ttl: data.ttl },
    }));
    const leftovers = await this.removeQuietly(planned);
    if (leftovers.length > 0) {
      throw new CertkeeperError(
        ErrorCodes.DNS_PROVIDER_FAILED,
        `Could not delete ${leftovers.length} of ${records.length} ${describeTypes(receipts)} TXT records: ${leftovers.join('; ')}.`,
        {
          hint: 'Run cleanup again later with the same receipts, or delete these records by hand.',
          retryable: true,
        },
      );
    }
  }

  private async plan(
    tasks: readonly ChallengeTask[],
    signalOption: { signal?: AbortSignal },
  ): Promise<PlannedRecord[]> {
    const names = new Map<string, Promise<ChallengeLocation>>();
    const planned = tasks.map(async (task) => {
      const accountScoped = task.type === 'dns-account-01';
      if (
        !this.types.includes(task.type) ||
        !task.dnsTxtValue ||
        (accountScoped && task.dnsAccountLabel === undefined)
      ) {
        throw new CertkeeperError(
          ErrorCodes.INVALID_OPTION,
          `Task ${task.authorizationUrl} (${task.identifier.value}) is not a ${this.types.join(' or ')} task with a TXT value${accountScoped ? ' and an account label' : ''}.`,
          {
            hint: accountScoped
              ? 'Enable dns-account-01 on this solver (option dnsAccount01: true); the engine computes dnsTxtValue and dnsAccountLabel.'
              : 'Give the dns-01 solver only dns-01 tasks; the engine computes dnsTxtValue (RFC 8555 §8.4).',
          },
        );
      }
      // The one place dns-01 and dns-account-01 differ: the name the record goes at.
      const name = challengeName(task.identifier.value, accountScoped ? task.dnsAccountLabel : undefined);
      // An apex and its wildcard share one name: locate it once.
      if (!names.has(name)) names.set(name, this.discovery.locator.locate(name, signalOption));
      const location = await names.get(name)!;
      const record: DnsRecord = {
        name: relativeName(location.fqdn, location.zone),
        type: 'TXT',
        value: task.dnsTxtValue,
        ttl: this.ttl,
      };
      return { task, location, record };
    });
    return Promise.all(planned);
  }

  private async create(
    planned: readonly PlannedRecord[],
    signalOption: { signal?: AbortSignal },
  ): Promise<void> {
    const provider = this.provider;
    const byZone = groupByZone(planned);
    // Every zone's changes are sent even if one fails, so the rollback sees a settled state.
    const results = await Promise.allSettled(
      isChangeBatcher(provider)
        ? [...byZone].map(([zone, records]) =>
            provider.applyChanges(zone, { create: records, delete: [] }, signalOption),
          )
        : planned.map((entry) => provider.createRecord(entry.location.zone, entry.record, signalOption)),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
  }

  /** Deletes records, returning descriptions of those that could not be deleted. */
  private async removeQuietly(
    planned: readonly Pick<PlannedRecord, 'location' | 'record'>[],
  ): Promise<string[]> {
    const provider = this.provider;
    const signal = AbortSignal.timeout(this.options.cleanupTimeoutMs ?? 60_000);
    const byZone = groupByZone(planned);
    const batches = isChangeBatcher(provider)
      ? [...byZone].map(async ([zone, records]) => {
          await provider.applyChanges(zone, { create: [], delete: records }, { signal });
        })
      : [];
    const singles = isChangeBatcher(provider)
      ? []
      : planned.map((entry) => provider.deleteRecord(entry.location.zone, entry.record, { signal }));
    const results = await Promise.allSettled([...batches, ...singles]);
    const zones = [...byZone.keys()];
    return results.flatMap((result, index) => {
      if (result.status === 'fulfilled') return [];
      const reason =
        result.reason instanceof Error ? result.reason.message.split('\n')[0] : String(result.reason);
      if (isChangeBatcher(provider)) {
        const zone = zones[index]!;
        return (byZone.get(zone) ?? []).map(
          (record) => `${record.name} in ${zone} "${record.value}" (${reason})`,
        );
      }
      const entry = planned[index]!;
      return [`${entry.record.name} in ${entry.location.zone} "${entry.record.value}" (${reason})`];
    });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function groupByZone(
  planned: readonly Pick<PlannedRecord, 'location' | 'record'>[],
): Map<string, DnsRecord[]> {
  const byZone = new Map<string, DnsRecord[]>();
  for (const { location, record } of planned) {
    const records = byZone.get(location.zone) ?? [];
    if (!records.some((existing) => existing.name === record.name && existing.value === record.value))
      records.push(record);
    byZone.set(location.zone, records);
  }
  return byZone;
}

/** "dns-01", "dns-account-01" or "dns-account-01/dns-01", for messages. */
function describeTypes(items: readonly { readonly type: ChallengeType }[]): string {
  return [...new Set(items.map((item) => item.type))].sort().reverse().join('/') || 'dns-01';
}

function publishFailed(
  error: unknown,
  count: number,
  leftovers: readonly string[],
  types: string,
): CertkeeperError {
  const code = CertkeeperError.isInstance(error) ? error.code : ErrorCodes.DNS_PROVIDER_FAILED;
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const aftermath =
    leftovers.length === 0
      ? 'every record of this call was deleted again'
      : `these records could not be deleted and must be removed by hand: ${leftovers.join('; ')}`;
  return new CertkeeperError(
    code,
    `Publishing ${count} ${types} TXT records failed (${reason}); ${aftermath}.`,
    {
      hint: 'Fix the provider problem above, then publish again; nothing needs cleaning up unless listed.',
      retryable: CertkeeperError.isInstance(error) ? error.retryable : true,
      cause: error,
    },
  );
}
