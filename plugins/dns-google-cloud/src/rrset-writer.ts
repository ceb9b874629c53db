import { sleep } from '@certkeeper/core';
import { type ProviderCallOptions, providerFailed, quoteTxt, unquoteTxt } from '@certkeeper/dns';
import { type ApiRrset, type CloudDnsApi, googleReason } from './cloud-dns-api.js';
import { PROVIDER_NAME, type ResolvedOptions } from './options.js';

interface ApiChange {
  readonly id: string;
  readonly status: 'pending' | 'done';
}

/** What a write wants the TXT set at one name to become, from what is there (undefined: leave it). */
export type RrsetEdit = (
  current: { values: string[]; ttl: number } | undefined,
) => { values: string[]; ttl: number } | undefined;

/** How many times a write re-reads and tries again after another writer changed the set in between. */
const CONFLICT_ATTEMPTS = 8;

/**
 * Read-modify-write of the TXT record set at one name. Cloud DNS keeps one set per name and type and only replaces
 * it whole, through a change: `deletions` must equal the current set exactly (else 412 `conditionNotMet`) and an
 * addition must not meet an existing set (409 `alreadyExists`). That is a conditional write: a change built from a
 * stale read is refused, so another process's value is never lost — the set is read again and the edit re-applied.
 * An accepted change is `pending` until Google's servers have it; the write waits for `done`.
 */
export class RrsetWriter {
  constructor(
    private readonly api: CloudDnsApi,
    private readonly options: ResolvedOptions,
  ) {}

  /** The TXT set at `fqdn` (no trailing dot), or undefined. */
  async read(zonePath: string, fqdn: string, call?: ProviderCallOptions): Promise<ApiRrset | undefined> {
    const sets = await this.api.allPages<ApiRrset>(
      `${zonePath}/rrsets`,
      { name: `${fqdn}.`, type: 'TXT' },
      'rrsets',
      { operation: `read the TXT record set at ${fqdn}` },
      call,
    );
    return sets.find((set) => set.type === 'TXT' && set.name.toLowerCase() === `${fqdn}.`);
  }

  /** Applies `edit` until a change built from a fresh read is accepted; resolves the set as written. */
  async modify(
    zonePath: string,
    fqdn: string,
    edit: RrsetEdit,
    call?: ProviderCallOptions,
  ): Promise<{ values: string[]; ttl: number } | undefined> {
    return (await this.modifyMany(zonePath, new Map([[fqdn, edit]]), call)).get(fqdn);
  }

  /**
   * Edits the sets at several names in one change (one API write per order and zone), re-reading them all and
   * re-applying every edit when any of them changed meanwhile. Resolves each name's set as it now is.
   */
  async modifyMany(
    zonePath: string,
    edits: ReadonlyMap<string, RrsetEdit>,
    call?: ProviderCallOptions,
  ): Promise<Map<string, { values: string[]; ttl: number } | undefined>> {
    const names = [...edits.keys()].join(', ');
    for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
      const planned = await Promise.all(
        [...edits].map(async ([fqdn, edit]) => {
          const current = await this.read(zonePath, fqdn, call);
          const before = current ? { values: current.rrdatas.map(unquoteTxt), ttl: current.ttl } : undefined;
          return { fqdn, current, before, after: edit(before) };
        }),
      );
      const outcome = new Map(
        planned.map(({ fqdn, before, after }) => [
          fqdn,
          after ? (after.values.length > 0 ? after : undefined) : before,
        ]),
      );
      const changing = planned.filter((entry) => entry.after !== undefined);
      if (changing.length === 0) return outcome;
      const deletions = changing.flatMap((entry) => (entry.current ? [entry.current] : []));
      const additions = changing.flatMap(({ fqdn, after }) =>
        after && after.values.length > 0
          ? [
              {
                kind: 'dns#resourceRecordSet',
                name: `${fqdn}.`,
                type: 'TXT',
                ttl: after.ttl,
                rrdatas: after.values.map(quoteTxt),
              },
            ]
          : [],
      );
      const { status, body } = await this.api.request<ApiChange>({
        method: 'POST',
        path: `${zonePath}/changes`,
        body: { kind: 'dns#change', additions, deletions },
        operation: `replace the TXT record sets at ${names}`,
        // A change built from a stale read is refused whole (nothing applied), so repeating after a 5xx is safe.
        accept: (code, answer) =>
          (code === 409 && googleReason(answer) === 'alreadyExists') ||
          (code === 412 && googleReason(answer) === 'conditionNotMet'),
        signal: call?.signal,
      });
      if (status === 409 || status === 412) {
        // Another writer got in between; back off a little, more each time, so two writers do not keep colliding.
        await sleep(Math.random() * 50 * attempt, call?.signal);
        continue;
      }
      if (body.status !== 'done') await this.waitUntilDone(zonePath, body.id, names, call);
      return outcome;
    }
    throw providerFailed(
      PROVIDER_NAME,
      `replace the TXT record sets at ${names}`,
      `they changed under every one of ${CONFLICT_ATTEMPTS} attempts (other writers at the same names)`,
      { retryable: true },
    );
  }

  /**
   * Polls the change until `done`. A change still pending at the time limit is not a failure: Google accepted it and
   * will apply it, and the dns-01 solver checks the authoritative servers itself.
   */
  private async waitUntilDone(
    zonePath: string,
    id: string,
    fqdn: string,
    call?: ProviderCallOptions,
  ): Promise<void> {
    const deadline = Date.now() + this.options.changeTimeoutMs;
    let delay = this.options.changePollMs;
    while (Date.now() < deadline) {
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), call?.signal);
      const { body } = await this.api.request<ApiChange>({
        method: 'GET',
        path: `${zonePath}/changes/${encodeURIComponent(id)}`,
        operation: `read the status of change ${id} at ${fqdn}`,
        signal: call?.signal,
      });
      if (body.status === 'done') return;
      delay = Math.min(delay * 1.5, 5000);
    }
  }
}
