import { AsyncCache, parentName, zoneNotFound } from '@certkeeper/dns';
import type Cloudflare from 'cloudflare';
import { PROVIDER_NAME, toProviderError } from './cloudflare-errors.js';
import { allPages } from './pages.js';

export interface ZoneFinderOptions {
  readonly zoneIds?: Readonly<Record<string, string>>;
  readonly accountId?: string;
}

interface ZoneSummary {
  readonly id: string;
  readonly name: string;
  readonly status?: string;
}

/**
 * Finds a zone's id by walking up the labels with `GET /zones?name=<candidate>` (exact name match), caching each
 * answer. An `active` zone wins over a `pending` one of the same name (a zone being added to another account is
 * pending and not served). A token without Zone:Read sees no zones: configure `zoneIds` then.
 */
export class ZoneFinder {
  private readonly cache = new AsyncCache<ZoneSummary>();

  constructor(
    private readonly client: Cloudflare,
    private readonly options: ZoneFinderOptions = {},
  ) {}

  resolve(zone: string, signal?: AbortSignal): Promise<ZoneSummary> {
    return this.cache.get(zone, () => this.lookup(zone, signal));
  }

  forget(zone: string): void {
    this.cache.forget(zone);
  }

  /**
   * Every zone name the token can read, all pages. The ids come with the listing, so they are cached too: the
   * dns-01 solver lists zones for discovery and then needs no lookup per zone.
   */
  async listZoneNames(signal?: AbortSignal): Promise<string[]> {
    // Configured ids define the zones: no listing, so the token needs no Zone:Read.
    if (this.options.zoneIds) return Object.keys(this.options.zoneIds);
    const zones = await this.list({}, 'list zones', undefined, signal);
    const names = [...new Set(zones.map((zone) => zone.name.toLowerCase()))];
    for (const name of names) {
      const same = zones.filter((zone) => zone.name.toLowerCase() === name);
      const chosen = same.find((zone) => zone.status === 'active') ?? same[0]!;
      if (!this.cache.has(name) && !this.options.zoneIds?.[name]) this.cache.set(name, chosen);
    }
    return names;
  }

  private async lookup(zone: string, signal: AbortSignal | undefined): Promise<ZoneSummary> {
    const configured = this.options.zoneIds?.[zone];
    if (configured) return { id: configured, name: zone };
    for (let candidate: string | undefined = zone; candidate; candidate = parentName(candidate)) {
      const found = await this.list({ name: candidate }, `look up the zone for ${candidate}`, zone, signal);
      const exact = found.filter((entry) => entry.name.toLowerCase() === candidate);
      const chosen = exact.find((entry) => entry.status === 'active') ?? exact[0];
      if (chosen) return chosen;
    }
    throw zoneNotFound(PROVIDER_NAME, zone);
  }

  private async list(
    filter: { name?: string },
    operation: string,
    zone: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ZoneSummary[]> {
    try {
      return await allPages(
        (page) =>
          this.client.zones.list(
            {
              ...filter,
              ...(this.options.accountId ? { account: { id: this.options.accountId } } : {}),
              page,
              per_page: 50,
            },
            signal ? { signal } : {},
          ),
        signal,
      );
    } catch (error) {
      throw toProviderError(error, operation, zone);
    }
  }
}
