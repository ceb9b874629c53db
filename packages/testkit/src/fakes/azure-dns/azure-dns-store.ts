import { randomUUID } from 'node:crypto';
import { armError } from './arm-error.js';

export interface FakeAzureRecordSet {
  /** Relative, `@` for the apex. */
  readonly name: string;
  readonly ttl: number;
  readonly etag: string;
  /** One entry per TXT record; each an array of strings. */
  readonly txtRecords: readonly { readonly value: readonly string[] }[];
}

export interface FakeAzureZone {
  readonly name: string;
  readonly resourceGroup: string;
  readonly zoneType: 'Public' | 'Private';
  readonly etag: string;
  readonly txt: Map<string, FakeAzureRecordSet>;
}

/** Zones of one subscription by resource group, and their TXT record sets with etags. */
export class AzureDnsStore {
  readonly zones: FakeAzureZone[] = [];

  constructor(readonly subscriptionId: string) {}

  addZone(resourceGroup: string, name: string, zoneType: 'Public' | 'Private' = 'Public'): FakeAzureZone {
    const zone: FakeAzureZone = {
      name: name.toLowerCase().replace(/\.$/, ''),
      resourceGroup,
      zoneType,
      etag: randomUUID(),
      txt: new Map(),
    };
    this.zones.push(zone);
    return zone;
  }

  groupExists(resourceGroup: string): boolean {
    return this.zones.some((zone) => zone.resourceGroup.toLowerCase() === resourceGroup.toLowerCase());
  }

  zone(resourceGroup: string, name: string): FakeAzureZone {
    const zone = this.zones.find(
      (candidate) =>
        candidate.resourceGroup.toLowerCase() === resourceGroup.toLowerCase() &&
        candidate.name === name.toLowerCase(),
    );
    if (!zone)
      throw armError(
        404,
        'ParentResourceNotFound',
        `Can not perform requested operation on nested resource. Parent resource '${name}' not found.`,
      );
    return zone;
  }

  /**
   * `PUT …/TXT/{name}` as Azure DNS does it: `If-Match` must equal the set's etag, `If-None-Match: *` requires no
   * set (412 `PreconditionFailed` otherwise); the set is replaced whole; strings at most 1024 characters.
   */
  put(
    zone: FakeAzureZone,
    name: string,
    body: Record<string, unknown>,
    conditions: { ifMatch?: string; ifNoneMatch?: string },
  ): { set: FakeAzureRecordSet; created: boolean } {
    const existing = zone.txt.get(name);
    checkConditions(existing, name, conditions);
    const properties = (body.properties ?? {}) as Record<string, unknown>;
    const ttl = properties.TTL;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 2_147_483_647)
      throw armError(400, 'BadRequest', 'The value of TTL is invalid.');
    const records = properties.TXTRecords;
    if (!Array.isArray(records) || records.length === 0)
      throw armError(400, 'BadRequest', 'The record set must contain at least one TXT record.');
    const txtRecords = records.map((record: { value?: unknown }) => {
      const value = record?.value;
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.some((part) => typeof part !== 'string' || part.length > 1024)
      )
        throw armError(
          400,
          'BadRequest',
          'A TXT record value must be a list of strings of at most 1024 characters.',
        );
      return { value: [...(value as string[])] };
    });
    const set: FakeAzureRecordSet = { name, ttl, etag: randomUUID(), txtRecords };
    zone.txt.set(name, set);
    return { set, created: existing === undefined };
  }

  /** `DELETE …/TXT/{name}`: 412 when `If-Match` is stale; `false` when there was no set (Azure answers 204). */
  delete(zone: FakeAzureZone, name: string, conditions: { ifMatch?: string }): boolean {
    const existing = zone.txt.get(name);
    if (!existing) {
      if (conditions.ifMatch && conditions.ifMatch !== '*')
        throw preconditionFailed(name, conditions.ifMatch, undefined);
      return false;
    }
    checkConditions(existing, name, conditions);
    zone.txt.delete(name);
    return true;
  }
}

function checkConditions(
  existing: FakeAzureRecordSet | undefined,
  name: string,
  conditions: { ifMatch?: string; ifNoneMatch?: string },
): void {
  if (conditions.ifNoneMatch === '*' && existing)
    throw armError(
      412,
      'PreconditionFailed',
      `The Record set ${name} exists already and hence cannot be created again.`,
    );
  if (conditions.ifMatch !== undefined && conditions.ifMatch !== '*' && conditions.ifMatch !== existing?.etag)
    throw preconditionFailed(name, conditions.ifMatch, existing?.etag);
}

function preconditionFailed(name: string, asked: string, current: string | undefined) {
  return armError(
    412,
    'PreconditionFailed',
    `The condition '${asked}' in the If-Match header was not satisfied for record set ${name}. The current was '${current ?? 'n/a'}'.`,
  );
}
