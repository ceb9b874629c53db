import { type Change, ChangeResourceRecordSetsCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { type KeyedMutex, mapWithLimit } from '@certkeeper/dns';
import { sendOptions } from './aws-call.js';
import type { ResolvedZone } from './hosted-zones.js';
import { readTxtSet, type TxtRecordSet } from './record-sets.js';
import { isChangeConflict, toProviderError } from './route53-errors.js';
import { toRoute53Name } from './route53-names.js';
import { quoteTxt, unquoteTxt } from './txt-quoting.js';

/** What to do to the TXT values at one name; values are plain (unquoted) strings. */
export interface NameChange {
  readonly fqdn: string;
  readonly add: readonly string[];
  readonly remove: readonly string[];
  /** TTL for a set this change creates; an existing set keeps its TTL (it belongs to the other values too). */
  readonly ttl: number;
}

/** The values at one name after the write, and how many of the requested removals were present. */
export interface NameOutcome {
  readonly values: readonly string[];
  readonly ttl: number;
  readonly removed: number;
}

export interface WriteOutcome {
  /** The Route 53 change to wait for; absent when nothing had to change. */
  readonly changeId?: string;
  readonly names: ReadonlyMap<string, NameOutcome>;
}

export interface RecordSetWriterOptions {
  /** Attempts when another writer changed a set between our read and our write. Default 5. */
  readonly conflictAttempts?: number;
  /** Concurrent ListResourceRecordSets reads per write. Default 4. */
  readonly readConcurrency?: number;
}

/**
 * Read-modify-write of whole TXT record sets, safe against other writers.
 *
 * Route 53 keeps every TXT value of a name in one record set and UPSERT replaces the set, so an UPSERT built from
 * a stale read silently drops a value another process just added (the apex + wildcard failure). Instead each
 * change batch DELETEs the set **with the exact values and TTL just read** and CREATEs the new set: Route 53
 * validates a batch as a whole, so if the set changed underneath, the DELETE no longer matches (or the CREATE hits
 * a set that now exists), the batch fails with InvalidChangeBatch and nothing is applied; we re-read and retry.
 * Inside one process a per-name mutex avoids paying for those conflicts. All names of one call go in one batch.
 */
export class RecordSetWriter {
  constructor(
    private readonly client: Route53Client,
    private readonly mutex: KeyedMutex,
    private readonly options: RecordSetWriterOptions = {},
  ) {}

  async write(
    hosted: ResolvedZone,
    zone: string,
    changes: readonly NameChange[],
    signal?: AbortSignal,
  ): Promise<WriteOutcome> {
    const keys = changes.map((change) => `${hosted.id}/${change.fqdn}`);
    return this.mutex.runAll(keys, async () => {
      const attempts = Math.max(1, this.options.conflictAttempts ?? 5);
      for (let attempt = 1; ; attempt++) {
        const current = await mapWithLimit(changes, this.options.readConcurrency ?? 4, (change) =>
          readTxtSet(this.client, hosted.id, change.fqdn, zone, signal),
        );
        const names = new Map<string, NameOutcome>();
        const batch = changes.flatMap((change, index) => plan(change, current[index], names));
        if (batch.length === 0) return { names };
        try {
          const output = await this.client.send(
            new ChangeResourceRecordSetsCommand({
              HostedZoneId: hosted.id,
              ChangeBatch: { Comment: 'certkeeper dns-01', Changes: batch },
            }),
            sendOptions(signal),
          );
          return { changeId: output.ChangeInfo?.Id ?? '', names };
        } catch (error) {
          if (!isChangeConflict(error) || attempt >= attempts) {
            throw toProviderError(error, `change TXT records in ${zone} (${describe(changes)})`, zone);
          }
          // Lost a race with another writer: back off a little, with jitter so two losers do not collide again.
          await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 75 * attempt));
        }
      }
    });
  }
}

/** The DELETE + CREATE pair for one name, or nothing when the set already has the wanted values. */
function plan(
  change: NameChange,
  current: TxtRecordSet | undefined,
  names: Map<string, NameOutcome>,
): Change[] {
  // Keep other writers' values in the presentation form they were stored in; only our values are re-quoted.
  const entries = (current?.values ?? []).map((raw) => ({ raw, value: unquoteTxt(raw) }));
  const removed = entries.filter((entry) => change.remove.includes(entry.value));
  const kept = entries.filter((entry) => !change.remove.includes(entry.value));
  for (const value of change.add) {
    if (!kept.some((entry) => entry.value === value) && !change.remove.includes(value))
      kept.push({ raw: quoteTxt(value), value });
  }
  const ttl = current?.ttl ?? change.ttl;
  names.set(change.fqdn, { values: kept.map((entry) => entry.value), ttl, removed: removed.length });
  if (removed.length === 0 && kept.length === entries.length) return [];
  const batch: Change[] = [];
  if (current) {
    batch.push({
      Action: 'DELETE',
      ResourceRecordSet: {
        Name: current.name,
        Type: 'TXT',
        TTL: current.ttl,
        ResourceRecords: current.values.map((Value) => ({ Value })),
      },
    });
  }
  if (kept.length > 0) {
    batch.push({
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: toRoute53Name(change.fqdn),
        Type: 'TXT',
        TTL: ttl,
        ResourceRecords: kept.map((entry) => ({ Value: entry.raw })),
      },
    });
  }
  return batch;
}

function describe(changes: readonly NameChange[]): string {
  const names = changes.map((change) => change.fqdn);
  return names.length <= 3
    ? names.join(', ')
    : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
