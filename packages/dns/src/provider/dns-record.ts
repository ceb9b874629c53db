import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { absoluteName, normalizeName } from '../names/dns-name.js';

/**
 * One DNS record as providers see it. **One TXT value is one record**: two values at one name are two
 * `DnsRecord`s, never one record with two strings (a CA concatenates the strings of one record into one value,
 * which is how apex + wildcard orders break; see ACME-NOTES "DNS-01").
 */
export interface DnsRecord {
  /** Relative to the zone, lower case, `'@'` for the apex (libdns convention): `_acme-challenge.www`. */
  readonly name: string;
  readonly type: 'TXT';
  /** The TXT value as one string (at most 255 octets, so it fits one character-string). */
  readonly value: string;
  /** Seconds. Providers with a minimum MAY raise it and MUST report the TTL actually stored. */
  readonly ttl: number;
}

/** Narrows `listRecords`; every field that is set must match. */
export interface RecordFilter {
  /** Relative name as in {@link DnsRecord.name}. */
  readonly name?: string;
  readonly type?: 'TXT';
}

/** What `applyChanges` receives: records to create and records to delete, in one call. */
export interface ChangeSet {
  readonly create: readonly DnsRecord[];
  readonly delete: readonly DnsRecord[];
}

/** Whether two records are the same record for create/delete matching: name, type and value (not TTL). */
export function sameRecord(a: DnsRecord, b: DnsRecord): boolean {
  return a.name === b.name && a.type === b.type && a.value === b.value;
}

/**
 * Checks a record before it reaches a provider, so every provider rejects the same inputs the same way.
 *
 * @throws CertkeeperError INVALID_OPTION naming the record and what is wrong with it.
 */
export function assertValidRecord(zone: string, record: DnsRecord): void {
  const problem =
    record.type !== 'TXT'
      ? `type "${String(record.type)}" is not supported (only TXT)`
      : !/^(@|[a-z0-9_*-]+(\.[a-z0-9_-]+)*)$/.test(record.name)
        ? 'the name must be relative to the zone, lower case, or "@" for the apex'
        : Buffer.byteLength(record.value, 'utf8') > 255 || record.value === ''
          ? 'the value must be 1 to 255 octets (one TXT character-string)'
          : !Number.isInteger(record.ttl) || record.ttl < 0 || record.ttl > 2147483647
            ? 'the TTL must be a whole number of seconds'
            : undefined;
  if (problem) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `DNS record "${record.name}" in zone "${zone}" is not valid: ${problem}.`,
      {
        hint: 'Pass { name: "_acme-challenge.www", type: "TXT", value, ttl: 60 } with the name relative to the zone.',
      },
    );
  }
}

/**
 * A provider's first step in `createRecord`/`deleteRecord`: the zone apex in canonical form and the record's fully
 * qualified name, after checking the record like every provider does.
 *
 * @throws CertkeeperError INVALID_OPTION for a bad zone name or record.
 */
export function locateRecord(zone: string, record: DnsRecord): { apex: string; fqdn: string } {
  const apex = normalizeName(zone);
  assertValidRecord(apex, record);
  return { apex, fqdn: absoluteName(record.name, apex) };
}
