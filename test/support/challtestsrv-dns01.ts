import { ChalltestsrvDnsProvider, Dns01Solver } from '@certkeeper/dns';

/**
 * A dns-01 solver publishing through pebble-challtestsrv and checking propagation against its DNS server: what
 * every process of a multi-process test can answer challenges with, since challtestsrv outlives them all.
 */
export function challtestsrvDns01(
  managementUrl: string,
  dnsServer: string,
  zone = 'example.test',
): Dns01Solver {
  const provider = new ChalltestsrvDnsProvider({ managementUrl, dnsServer, zones: [zone] });
  return new Dns01Solver({
    provider,
    discovery: { zones: [zone], fixedServers: [dnsServer], resolvers: [dnsServer] },
  });
}
