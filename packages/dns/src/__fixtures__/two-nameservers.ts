// Two in-process "authoritative servers" for one zone: ns1 serves live data, ns2 serves whatever the spec copies
// to it, so a lagging secondary can be simulated without BIND.
import type { DnsDiscoveryOptions } from '../discovery/dns-discovery.js';
import { formatServerAddress } from '../wire/server-address.js';
import { type FixtureRecord, type StaticDnsServer, startStaticDnsServer } from './static-dns-server.js';

export interface TwoNameservers {
  ns1: StaticDnsServer;
  ns2: StaticDnsServer;
  /** Records ns2 serves; replace to let it "catch up". */
  secondary: FixtureRecord[];
  discovery: DnsDiscoveryOptions;
  close(): Promise<void>;
}

export async function startTwoNameservers(
  zones: string[],
  live: () => FixtureRecord[],
): Promise<TwoNameservers> {
  const nsRecords = (): FixtureRecord[] =>
    zones.flatMap((zone) => [
      { name: zone, type: 'NS', data: 'ns1.example.test' },
      { name: zone, type: 'NS', data: 'ns2.example.test' },
    ]);
  const state = { secondary: [] as FixtureRecord[] };
  const ns1 = await startStaticDnsServer({ zones, records: () => [...nsRecords(), ...live()] });
  const ns2 = await startStaticDnsServer({ zones, records: () => [...nsRecords(), ...state.secondary] });
  return {
    ns1,
    ns2,
    get secondary() {
      return state.secondary;
    },
    set secondary(records) {
      state.secondary = records;
    },
    discovery: {
      resolvers: [formatServerAddress(ns1.address)],
      nameserverAddresses: {
        'ns1.example.test': [formatServerAddress(ns1.address)],
        'ns2.example.test': [formatServerAddress(ns2.address)],
      },
      cacheTtlMs: 0,
    },
    close: async () => {
      await ns1.close();
      await ns2.close();
    },
  };
}
