import type { DnsManagementClient } from '@azure/arm-dns';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { AsyncCache, normalizeName, type ProviderCallOptions, zoneNotFound } from '@certkeeper/dns';
import { callArm } from './arm-call.js';
import { PROVIDER_NAME, type ResolvedOptions } from './options.js';

/** A public DNS zone and the resource group holding it (ARM addresses zones by group and name). */
export interface ZoneRef {
  readonly name: string;
  readonly resourceGroup: string;
}

/**
 * Finds zones by listing them — in the `resourceGroup` option's group, else across the subscription — following
 * `nextLink` pages. The list is read once and kept (read again when a zone is not in it); legacy private zones (`zoneType: Private`) are skipped (the CA
 * never sees them); one name in two resource groups is ambiguous and needs the `resourceGroup` option.
 */
export class DnsZones {
  private readonly listing = new AsyncCache<ZoneRef[]>();

  constructor(
    private readonly client: DnsManagementClient,
    private readonly options: ResolvedOptions,
  ) {}

  async names(call?: ProviderCallOptions): Promise<string[]> {
    return [...new Set((await this.all(call)).map((zone) => zone.name))];
  }

  async find(apex: string, call?: ProviderCallOptions): Promise<ZoneRef> {
    const listedBefore = this.listing.has('zones');
    let matching = (await this.all(call)).filter((zone) => zone.name === apex);
    if (matching.length === 0 && listedBefore) {
      // The kept listing may predate the zone (a daemon runs for months): list again before saying it is absent.
      this.listing.forget('zones');
      matching = (await this.all(call)).filter((zone) => zone.name === apex);
    }
    if (matching.length === 0) throw zoneNotFound(PROVIDER_NAME, apex);
    if (matching.length > 1)
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        `Azure DNS has zone ${apex} in ${matching.length} resource groups (${matching.map((zone) => zone.resourceGroup).join(', ')}).`,
        { hint: 'Set the resourceGroup option to the group whose zone is delegated from the parent.' },
      );
    return matching[0]!;
  }

  private all(call?: ProviderCallOptions): Promise<ZoneRef[]> {
    return this.listing.get('zones', async () => {
      const group = this.options.resourceGroup;
      const zones =
        (await callArm(
          async () => {
            const found: ZoneRef[] = [];
            const pages = group
              ? this.client.zones.listByResourceGroup(group, this.requestOptions(call))
              : this.client.zones.list(this.requestOptions(call));
            for await (const zone of pages) {
              if (zone.zoneType === 'Private' || !zone.name) continue;
              found.push({
                name: normalizeName(zone.name),
                resourceGroup: resourceGroupOf(zone.id) ?? group ?? '',
              });
            }
            return found;
          },
          {
            operation: group
              ? `list the DNS zones of resource group ${group}`
              : 'list the DNS zones of the subscription',
          },
          { maxRetryWaitMs: this.options.maxRetryWaitMs, signal: call?.signal },
        )) ?? [];
      return zones;
    });
  }

  private requestOptions(call?: ProviderCallOptions) {
    return { abortSignal: call?.signal, requestOptions: { timeout: this.options.timeoutMs } };
  }
}

/** `/subscriptions/…/resourceGroups/<group>/providers/Microsoft.Network/dnszones/<zone>` → `<group>`. */
function resourceGroupOf(id: string | undefined): string | undefined {
  return id === undefined ? undefined : /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1];
}
