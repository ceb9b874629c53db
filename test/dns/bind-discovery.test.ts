import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { createDnsDiscovery, type DnsDiscovery, formatServerAddress } from '@certkeeper/dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindServers, startBindServers } from './support/bind-servers.js';

let bind: BindServers;
let discovery: DnsDiscovery;

beforeAll(async () => {
  bind = await startBindServers();
  // The primary is authoritative for every test zone, so it can stand in for a recursive resolver here.
  discovery = createDnsDiscovery({ resolvers: [bind.addresses.primary.v4] });
});
afterAll(async () => {
  await bind?.stop();
});

describe('zone discovery against BIND', () => {
  it('finds the zone of a challenge name by walking SOA answers', async () => {
    const location = await discovery.locator.locate('_acme-challenge.www.prop.test');
    expect(location).toEqual({
      name: '_acme-challenge.www.prop.test',
      fqdn: '_acme-challenge.www.prop.test',
      zone: 'prop.test',
      cnameChain: [],
    });
  });

  it('stops at the zone cut of a delegated child zone', async () => {
    expect((await discovery.locator.locate('_acme-challenge.a.b.sub.prop.test')).zone).toBe('sub.prop.test');
  });

  it('follows a CNAME at the challenge name into the validation zone (acme-dns style)', async () => {
    const location = await discovery.locator.locate('_acme-challenge.delegated.prop.test');
    expect(location).toMatchObject({
      fqdn: 'd1.acme-dns.test',
      zone: 'acme-dns.test',
      cnameChain: ['d1.acme-dns.test'],
    });
  });

  it('refuses a CNAME loop with a typed error', async () => {
    const error = await discovery.locator
      .locate('_acme-challenge.loop.prop.test')
      .catch((caught: unknown) => caught);
    expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.DNS_LOOKUP_FAILED);
    expect((error as Error).message).toMatch(/loops/);
  });
});

describe('nameserver discovery against BIND', () => {
  it('returns every IPv4 and IPv6 address of every NS, also for NS names outside the zone', async () => {
    const { addresses } = bind;
    const expected = [
      ['ns1.prop.test', addresses.primary.v4],
      ['ns1.prop.test', addresses.primary.v6],
      ['ns2.prop.test', addresses.secondary.v4],
      ['ns2.prop.test', addresses.secondary.v6],
    ];
    for (const zone of ['prop.test', 'lag.test']) {
      const { servers, unreachableNameservers } = await discovery.servers.find(zone);
      expect(servers.map((server) => [server.nameserver, server.address.host]).sort()).toEqual(expected);
      expect(unreachableNameservers).toEqual([]);
    }
  });

  it('uses configured addresses for a nameserver instead of looking it up', async () => {
    const overridden = createDnsDiscovery({
      resolvers: [bind.addresses.primary.v4],
      nameserverAddresses: { 'ns2.prop.test': [`${bind.addresses.secondary.v4}:53`] },
    });
    const { servers } = await overridden.servers.find('prop.test');
    expect(
      servers
        .filter((server) => server.nameserver === 'ns2.prop.test')
        .map((server) => formatServerAddress(server.address)),
    ).toEqual([`${bind.addresses.secondary.v4}:53`]);
  });
});
