import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { AsyncCache, normalizeName, type ProviderCallOptions, zoneNotFound } from '@certkeeper/dns';
import type { CloudDnsApi } from './cloud-dns-api.js';
import { PROVIDER_NAME } from './options.js';

interface ApiManagedZone {
  readonly name: string;
  readonly dnsName: string;
  readonly visibility?: string;
}

/**
 * Finds the managed zone serving an apex. Cloud DNS addresses zones by their own name (`example-com`), not the DNS
 * name, and one project may hold a public and private zones for the same DNS name: only public zones answer the CA,
 * so private ones are skipped, and two public ones are ambiguous (the `managedZone` option settles it).
 */
export class ManagedZones {
  private readonly cache = new AsyncCache<string>();

  constructor(
    private readonly api: CloudDnsApi,
    private readonly fixed: string | undefined,
  ) {}

  /** The public zones' DNS names (`ZoneLister`), all pages; the mapping to zone names is kept. */
  async list(call?: ProviderCallOptions): Promise<string[]> {
    const zones = await this.publicZones({}, call);
    for (const zone of zones) this.cache.set(normalizeName(zone.dnsName), zone.name);
    return zones.map((zone) => normalizeName(zone.dnsName));
  }

  /** The managed-zone name for an apex, found once (`managedZones?dnsName=<apex>.`). */
  nameOf(apex: string, call?: ProviderCallOptions): Promise<string> {
    if (this.fixed) return Promise.resolve(this.fixed);
    return this.cache.get(apex, async () => {
      const found = await this.publicZones({ dnsName: `${apex}.` }, call);
      const matching = found.filter((zone) => normalizeName(zone.dnsName) === apex);
      if (matching.length === 0) throw zoneNotFound(PROVIDER_NAME, apex);
      if (matching.length > 1)
        throw new CertkeeperError(
          ErrorCodes.INVALID_OPTION,
          `Google Cloud DNS has ${matching.length} public managed zones for ${apex} (${matching.map((zone) => zone.name).join(', ')}).`,
          {
            hint: 'Set the managedZone option to the one whose name servers are delegated from the parent zone.',
          },
        );
      return matching[0]!.name;
    });
  }

  private async publicZones(
    query: { dnsName?: string },
    call?: ProviderCallOptions,
  ): Promise<ApiManagedZone[]> {
    const zones = await this.api.allPages<ApiManagedZone>(
      `${await this.api.projectPath()}managedZones`,
      query,
      'managedZones',
      { operation: query.dnsName ? `find the managed zone of ${query.dnsName}` : 'list managed zones' },
      call,
    );
    return zones.filter((zone) => (zone.visibility ?? 'public') === 'public');
  }
}
