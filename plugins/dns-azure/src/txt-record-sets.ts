import type { DnsManagementClient, RecordSet } from '@azure/arm-dns';
import { sleep } from '@certkeeper/core';
import { type ProviderCallOptions, providerFailed } from '@certkeeper/dns';
import { armStatus, callArm } from './arm-call.js';
import type { ZoneRef } from './dns-zones.js';
import { PROVIDER_NAME, type ResolvedOptions } from './options.js';

/** A TXT record set as read: its values (each joined from its strings), TTL and etag. */
export interface TxtSet {
  readonly values: string[];
  readonly ttl: number;
  readonly etag: string | undefined;
}

export type TxtEdit = (current: TxtSet | undefined) => { values: string[]; ttl: number } | undefined;

const CONFLICT_ATTEMPTS = 8;

/**
 * Read-modify-write of the TXT record set at one name. Azure DNS keeps every TXT value at a name in one record set
 * (`txtRecords: [{ value: [strings] }]`), so adding merges and removing keeps the others. Writes are conditional on
 * the etag read (`If-Match`, or `If-None-Match: *` when there was no set): a write from a stale read gets 412 and
 * is redone from a fresh read, so two processes never drop each other's values.
 */
export class TxtRecordSets {
  constructor(
    private readonly client: DnsManagementClient,
    private readonly options: ResolvedOptions,
  ) {}

  async read(zone: ZoneRef, relative: string, call?: ProviderCallOptions): Promise<TxtSet | undefined> {
    const set = await callArm(
      () =>
        this.client.recordSets.get(zone.resourceGroup, zone.name, relative, 'TXT', this.requestOptions(call)),
      { operation: `read the TXT record set ${relative} in ${zone.name}`, zone: zone.name, accept: [404] },
      this.retry(call),
    );
    return set ? toTxtSet(set) : undefined;
  }

  async list(zone: ZoneRef, call?: ProviderCallOptions): Promise<{ relative: string; set: TxtSet }[]> {
    return (
      (await callArm(
        async () => {
          const found: { relative: string; set: TxtSet }[] = [];
          for await (const set of this.client.recordSets.listByType(
            zone.resourceGroup,
            zone.name,
            'TXT',
            this.requestOptions(call),
          ))
            if (set.name) found.push({ relative: set.name, set: toTxtSet(set) });
          return found;
        },
        { operation: `list the TXT record sets of ${zone.name}`, zone: zone.name, zoneMissingOn404: true },
        this.retry(call),
      )) ?? []
    );
  }

  /** Applies `edit` until a write conditional on a fresh read is accepted; resolves the set as written. */
  async modify(
    zone: ZoneRef,
    relative: string,
    edit: TxtEdit,
    call?: ProviderCallOptions,
  ): Promise<TxtSet | undefined> {
    const operation = `write the TXT record set ${relative} in ${zone.name}`;
    for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
      const current = await this.read(zone, relative, call);
      const next = edit(current);
      if (!next) return current;
      const condition = current?.etag ? { ifMatch: current.etag } : { ifNoneMatch: '*' };
      const written = await callArm(
        async () => {
          if (next.values.length === 0) {
            await this.client.recordSets
              .delete(zone.resourceGroup, zone.name, relative, 'TXT', {
                ...this.requestOptions(call),
                ...condition,
              })
              .catch((error: unknown) => {
                // The set vanished since our read: what a delete wanted.
                if (armStatus(error) !== 404) throw error;
              });
            return { values: [], ttl: next.ttl, etag: undefined } satisfies TxtSet;
          }
          const set = await this.client.recordSets.createOrUpdate(
            zone.resourceGroup,
            zone.name,
            relative,
            'TXT',
            { ttl: next.ttl, txtRecords: next.values.map((value) => ({ value: [value] })) },
            { ...this.requestOptions(call), ...condition },
          );
          return toTxtSet(set);
        },
        // 412: another writer changed the set since our read; handled below, not an error.
        { operation, zone: zone.name, zoneMissingOn404: true, accept: [412] },
        this.retry(call),
      );
      if (written) return written;
      await sleep(Math.random() * 50 * attempt, call?.signal);
    }
    throw providerFailed(
      PROVIDER_NAME,
      operation,
      `it changed under every one of ${CONFLICT_ATTEMPTS} attempts (other writers at the same name)`,
      {
        retryable: true,
      },
    );
  }

  private requestOptions(call?: ProviderCallOptions) {
    return { abortSignal: call?.signal, requestOptions: { timeout: this.options.timeoutMs } };
  }

  private retry(call?: ProviderCallOptions) {
    return { maxRetryWaitMs: this.options.maxRetryWaitMs, signal: call?.signal };
  }
}

function toTxtSet(set: RecordSet): TxtSet {
  return {
    // A record written elsewhere may hold its value as several strings; a resolver joins them, and so do we.
    values: (set.txtRecords ?? []).map((record) => (record.value ?? []).join('')),
    ttl: set.ttl ?? 3600,
    etag: set.etag,
  };
}
