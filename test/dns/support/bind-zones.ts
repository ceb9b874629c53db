/** Zone data the BIND test servers load. Every zone is served by both servers; NS names live in prop.test. */
export interface BindAddresses {
  primary: { v4: string; v6: string };
  secondary: { v4: string; v6: string };
}

export interface TestZone {
  name: string;
  /** Whether the primary sends NOTIFY: without it the secondary lags until the test runs `rndc refresh`. */
  notify: boolean;
  extra: string[];
}

export const TEST_ZONES: TestZone[] = [
  {
    name: 'prop.test',
    notify: true,
    extra: [
      'ns1 A {primary.v4}',
      'ns1 AAAA {primary.v6}',
      'ns2 A {secondary.v4}',
      'ns2 AAAA {secondary.v6}',
      'www A 127.0.0.1',
      // acme-dns style delegation of one challenge name into a validation-only zone.
      '_acme-challenge.delegated CNAME d1.acme-dns.test.',
      '_acme-challenge.loop CNAME loop2.prop.test.',
      'loop2 CNAME _acme-challenge.loop.prop.test.',
      // A child zone on the same servers, to check that discovery stops at the zone cut.
      'sub NS ns1.prop.test.',
      'sub NS ns2.prop.test.',
    ],
  },
  { name: 'sub.prop.test', notify: true, extra: ['www A 127.0.0.1'] },
  { name: 'acme-dns.test', notify: true, extra: ['d1 TXT "acme-dns placeholder"'] },
  { name: 'lag.test', notify: false, extra: ['www A 127.0.0.1'] },
];

export function zoneFile(zone: TestZone, addresses: BindAddresses): string {
  const fill = (line: string) =>
    line
      .replace('{primary.v4}', addresses.primary.v4)
      .replace('{primary.v6}', addresses.primary.v6)
      .replace('{secondary.v4}', addresses.secondary.v4)
      .replace('{secondary.v6}', addresses.secondary.v6);
  // refresh 3600: a secondary without NOTIFY stays behind for an hour unless the test refreshes it.
  return [
    '$TTL 60',
    `@ SOA ns1.prop.test. hostmaster.${zone.name}. 1 3600 600 86400 30`,
    '@ NS ns1.prop.test.',
    '@ NS ns2.prop.test.',
    ...zone.extra.map(fill),
    '',
  ].join('\n');
}
