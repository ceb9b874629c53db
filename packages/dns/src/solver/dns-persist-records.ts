import {
  CertkeeperError,
  dnsPersistRecordAuthorizes,
  dnsPersistRecordName,
  ErrorCodes,
  parseDnsPersistRecord,
  sleep,
} from '@certkeeper/core';
import type { DnsDiscovery } from '../discovery/dns-discovery.js';
import { relativeName } from '../names/dns-name.js';
import { describeServer } from '../propagation/describe-status.js';
import type { PropagationChecker, TxtAcceptance } from '../propagation/propagation-checker.js';
import type { PropagationResult } from '../propagation/propagation-result.js';
import type { DnsProvider } from '../provider/dns-provider.js';
import type { DnsRecord } from '../provider/dns-record.js';

/** Which standing dns-persist-01 record must authorize a name (`*.` or not) for an account at a CA. */
export interface PersistTarget {
  /** The DNS name (for a wildcard, its base name with `wildcard: true`). */
  readonly name: string;
  readonly wildcard: boolean;
  /** The CA's issuer domain names: a record naming any of them counts. */
  readonly issuerDomainNames: readonly string[];
  readonly accountUri: string;
}

/** A record to publish: the name it authorizes and its exact value (`dnsPersistRecordValue`). */
export interface PersistRecord {
  readonly name: string;
  readonly value: string;
}

/** What `publish` did: records created and replaced (same CA and account, other parameters), and the final check. */
export interface PersistPublication {
  readonly created: readonly { readonly zone: string; readonly record: DnsRecord }[];
  readonly replaced: readonly { readonly zone: string; readonly record: DnsRecord }[];
  readonly unchanged: number;
  readonly result: PropagationResult;
}

/** The parts of the dns-01 solver this reuses: its provider, discovery, checker and TTL. */
export interface PersistMachinery {
  readonly provider: DnsProvider;
  readonly discovery: DnsDiscovery;
  readonly checker: PropagationChecker;
  readonly ttl: number;
}

/**
 * The standing dns-persist-01 record (draft-ietf-acme-dns-persist-00), through the dns-01 solver's machinery:
 * publish it once through the provider and wait until every authoritative server has it, or check it read-only
 * on every authoritative server. Orders then answer dns-persist-01 without writing to DNS (Dns01Solver with
 * `dnsPersist01`).
 */
export class DnsPersistRecords {
  constructor(
    private readonly machinery: PersistMachinery,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * One read-only round on every authoritative server of each record's zone: `ready` when every server returns,
   * at `_validation-persist.<name>`, a value that authorizes each target now (issuer, account, `policy=wildcard`
   * for a wildcard, `persistUntil` not passed). Never writes, never sleeps.
   */
  check(
    targets: readonly PersistTarget[],
    context: { signal?: AbortSignal; startedAt?: Date } = {},
  ): Promise<PropagationResult> {
    const at = this.now();
    return this.machinery.checker.check(
      targets.map((target) => ({
        fqdn: dnsPersistRecordName(target.name),
        values: [],
        accept: [acceptance(target, at)],
      })),
      // The checker's deadline (for servers that do not answer) counts from `startedAt`.
      { startedAt: context.startedAt ?? at, ...(context.signal ? { signal: context.signal } : {}) },
    );
  }

  /**
   * Publish each record once: create it unless the exact value is there, and delete the values at its name that
   * are for the same CA and account but say something else (an older `persistUntil` or policy), so the CA never
   * sees two. Then wait, re-checking on the checker's schedule, until every authoritative server returns the new
   * value (or the checker's deadline passes: `result.status` is `failed`).
   */
  async publish(
    records: readonly PersistRecord[],
    context: { signal?: AbortSignal } = {},
  ): Promise<PersistPublication> {
    const signalOption = context.signal ? { signal: context.signal } : {};
    const { provider, discovery } = this.machinery;
    const created: PersistPublication['created'][number][] = [];
    const replaced: PersistPublication['replaced'][number][] = [];
    let unchanged = 0;
    const expectations = [];
    for (const { name, value } of records) {
      const location = await discovery.locator.locate(dnsPersistRecordName(name), signalOption);
      const relative = relativeName(location.fqdn, location.zone);
      const existing = await provider.listRecords(
        location.zone,
        { name: relative, type: 'TXT' },
        signalOption,
      );
      const ours = parseDnsPersistRecord(value);
      const stale = existing.filter((record) => {
        const parsed = parseDnsPersistRecord(record.value);
        return (
          record.value !== value &&
          ours.ok &&
          parsed.ok &&
          parsed.issuerDomainName === ours.issuerDomainName &&
          parsed.accountUri === ours.accountUri
        );
      });
      if (existing.some((record) => record.value === value)) unchanged++;
      else {
        const record: DnsRecord = { name: relative, type: 'TXT', value, ttl: this.machinery.ttl };
        await provider.createRecord(location.zone, record, signalOption);
        created.push({ zone: location.zone, record });
      }
      for (const record of stale) {
        await provider.deleteRecord(location.zone, record, signalOption);
        replaced.push({ zone: location.zone, record });
      }
      expectations.push({ fqdn: location.fqdn, zone: location.zone, name: location.name, values: [value] });
    }
    const startedAt = this.now();
    for (;;) {
      const result = await this.machinery.checker.check(expectations, { startedAt, ...signalOption });
      if (result.status !== 'pending') return { created, replaced, unchanged, result };
      await sleep(result.checkAgainAt.getTime() - this.now().getTime(), context.signal);
    }
  }
}

/** The check a CA makes of one target, as an acceptance for the propagation checker. */
function acceptance(target: PersistTarget, at: Date): TxtAcceptance {
  const issuers = target.issuerDomainNames.join('|');
  return {
    label: `${issuers}; accounturi=${target.accountUri}${target.wildcard ? '; policy=wildcard' : ''}`,
    test: (value) =>
      dnsPersistRecordAuthorizes(value, {
        issuerDomainNames: target.issuerDomainNames,
        accountUri: target.accountUri,
        wildcard: target.wildcard,
        at,
      }),
  };
}

/**
 * Whether a check that was not ready got an answer from every lagging server: then the record is absent or wrong
 * there (a setup problem, no use waiting); otherwise a server did not answer, or discovery failed, and the check
 * is worth repeating until the checker's deadline.
 */
export function persistCheckAnswered(result: PropagationResult): boolean {
  if (result.status === 'ready') return true;
  return result.lagging.length > 0 && result.lagging.every((status) => status.error === undefined);
}

/**
 * DNS_PERSIST_RECORD_MISSING for a check that was not ready: which servers lack the record, what they returned,
 * and the command that publishes it.
 */
export function persistRecordMissing(result: PropagationResult): CertkeeperError {
  const lagging = result.status === 'ready' ? [] : result.lagging;
  const names = [...new Set(lagging.map((status) => status.name.replace(/^_validation-persist\./, '')))];
  const where =
    lagging.length > 0 ? lagging.map((status) => describeServer(status, true)).join('; ') : result.detail;
  return new CertkeeperError(
    ErrorCodes.DNS_PERSIST_RECORD_MISSING,
    `No dns-persist-01 record authorizing this account at ${names.map((name) => `_validation-persist.${name}`).join(', ') || 'the names'} on every authoritative server: ${where}. Nothing was answered.`,
    {
      hint: `publish it with \`certkeeper persist publish ${names.join(' ') || '<names>'}\` (or create what \`certkeeper persist show\` prints), check it with \`certkeeper persist check\`, then run again.`,
    },
  );
}
