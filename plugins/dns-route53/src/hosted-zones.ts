import {
  type HostedZone,
  ListHostedZonesByNameCommand,
  type ListHostedZonesByNameCommandInput,
  ListHostedZonesCommand,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { AsyncCache, parentName, zoneNotFound } from '@certkeeper/dns';
import { callRoute53, sendOptions } from './aws-call.js';
import { PROVIDER_NAME } from './route53-errors.js';
import { fromRoute53Name, toRoute53Name } from './route53-names.js';

/** The hosted zone that holds a zone's records. */
export interface ResolvedZone {
  /** Bare id (`Z0123...`), as the SDK's id normaliser leaves it. */
  readonly id: string;
  /** The hosted zone's name in canonical form; may be a parent of the zone asked for. */
  readonly name: string;
  readonly private: boolean;
}

export interface HostedZoneFinderOptions {
  /** Zone apex → hosted zone id, for credentials without `route53:ListHostedZonesByName`. */
  readonly hostedZoneIds?: Readonly<Record<string, string>>;
  /** MaxItems per listing call (Route 53 allows up to 100). */
  readonly pageSize?: number;
}

/**
 * Finds hosted zones by name, caching each answer for the provider's lifetime.
 *
 * ListHostedZonesByName returns zones sorted by name starting at `DNSName`, public and private alike, so one
 * call per label answers "is there a hosted zone with exactly this name"; the walk goes up one label at a time
 * (a non-delegated subdomain lives in its parent's hosted zone). A public zone wins over a private zone of the
 * same name: the CA validates through public DNS. A private zone is used only when it is the only one, which
 * is right for a CA resolving inside the VPC.
 */
export class HostedZoneFinder {
  private readonly cache = new AsyncCache<ResolvedZone>();

  constructor(
    private readonly client: Route53Client,
    private readonly options: HostedZoneFinderOptions = {},
  ) {}

  /** @throws CertkeeperError DNS_ZONE_NOT_FOUND when no hosted zone holds `zone`. */
  resolve(zone: string, signal?: AbortSignal): Promise<ResolvedZone> {
    return this.cache.get(zone, () => this.lookup(zone, signal));
  }

  /** Forgets a zone whose id Route 53 no longer knows (deleted and re-created). */
  forget(zone: string): void {
    this.cache.forget(zone);
  }

  /**
   * Every hosted zone name the credentials can see (public and private, de-duplicated), all pages. The ids come
   * with the listing and are cached (public first), so the dns-01 solver's discovery saves a lookup per zone.
   */
  async listZoneNames(signal?: AbortSignal): Promise<string[]> {
    // Configured ids define the zones: no listing, so credentials need no route53:ListHostedZones.
    if (this.options.hostedZoneIds) return Object.keys(this.options.hostedZoneIds);
    const zones: ResolvedZone[] = [];
    let marker: string | undefined;
    do {
      const page = await callRoute53(
        () =>
          this.client.send(
            new ListHostedZonesCommand({ Marker: marker, MaxItems: this.pageSize() }),
            sendOptions(signal),
          ),
        'list hosted zones',
      );
      zones.push(...(page.HostedZones ?? []).map(toResolved));
      marker = page.IsTruncated ? page.NextMarker : undefined;
    } while (marker);
    const names = [...new Set(zones.map((zone) => zone.name))].filter((name) => name !== '');
    for (const name of names) {
      const same = zones.filter((zone) => zone.name === name);
      const chosen = same.find((zone) => !zone.private) ?? same[0]!;
      if (!this.cache.has(name) && !this.options.hostedZoneIds?.[name]) this.cache.set(name, chosen);
    }
    return names;
  }

  private async lookup(zone: string, signal: AbortSignal | undefined): Promise<ResolvedZone> {
    const configured = this.options.hostedZoneIds?.[zone];
    if (configured) return { id: configured.replace(/^\/hostedzone\//, ''), name: zone, private: false };
    for (let candidate: string | undefined = zone; candidate; candidate = parentName(candidate)) {
      const found = await this.zonesNamed(candidate, zone, signal);
      const chosen = found.find((hosted) => !hosted.private) ?? found[0];
      if (chosen) return chosen;
    }
    throw zoneNotFound(PROVIDER_NAME, zone);
  }

  /** Hosted zones named exactly `name`, following pages while the listing is still at that name. */
  private async zonesNamed(
    name: string,
    zone: string,
    signal: AbortSignal | undefined,
  ): Promise<ResolvedZone[]> {
    const found: ResolvedZone[] = [];
    let dnsName: string | undefined = toRoute53Name(name);
    let hostedZoneId: string | undefined;
    while (dnsName) {
      const request: ListHostedZonesByNameCommandInput = {
        DNSName: dnsName,
        HostedZoneId: hostedZoneId,
        MaxItems: this.pageSize(),
      };
      const page = await callRoute53(
        () => this.client.send(new ListHostedZonesByNameCommand(request), sendOptions(signal)),
        `look up the hosted zone for ${name}`,
        zone,
      );
      const zones = page.HostedZones ?? [];
      for (const hosted of zones.filter((candidate) => fromRoute53Name(candidate.Name ?? '') === name)) {
        found.push(toResolved(hosted));
      }
      // Sorted by name: once a page holds a later name, or the listing ends, no more zones of this name follow.
      const pastName = zones.some((candidate) => fromRoute53Name(candidate.Name ?? '') !== name);
      const sameNameContinues: boolean =
        page.IsTruncated === true && !pastName && fromRoute53Name(page.NextDNSName ?? '') === name;
      dnsName = sameNameContinues ? page.NextDNSName : undefined;
      hostedZoneId = sameNameContinues ? page.NextHostedZoneId : undefined;
    }
    return found;
  }

  private pageSize(): number {
    return this.options.pageSize ?? 100;
  }
}

function toResolved(hosted: HostedZone): ResolvedZone {
  return {
    id: (hosted.Id ?? '').replace(/^\/hostedzone\//, ''),
    name: fromRoute53Name(hosted.Name ?? ''),
    private: hosted.Config?.PrivateZone === true,
  };
}
