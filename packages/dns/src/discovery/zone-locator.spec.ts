import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type StaticDnsServer, startStaticDnsServer } from '../__fixtures__/static-dns-server.js';
import { InMemoryDnsProvider } from '../providers/in-memory-provider.js';
import type { QueryStats } from '../wire/dns-message.js';
import { formatServerAddress } from '../wire/server-address.js';
import { createDnsDiscovery } from './dns-discovery.js';

let server: StaticDnsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function discoveryFor(records: Parameters<typeof startStaticDnsServer>[0]['records']) {
  server = await startStaticDnsServer({ zones: ['example.test', 'sub.example.test', 'acme.test'], records });
  const address = formatServerAddress(server.address);
  const ns = { 'ns1.example.test': [address] };
  return createDnsDiscovery({ resolvers: [address], nameserverAddresses: ns });
}

const nsFor = (zone: string) => ({ name: zone, type: 'NS' as const, data: 'ns1.example.test' });

describe('ZoneLocator', () => {
  it('walks SOA answers up from the identifier, never asking resolvers about the challenge name', async () => {
    const discovery = await discoveryFor([nsFor('example.test'), nsFor('sub.example.test')]);
    const stats: QueryStats = { queries: 0 };
    const location = await discovery.locator.locate('_acme-challenge.www.sub.example.test', { stats });
    expect(location).toEqual({
      name: '_acme-challenge.www.sub.example.test',
      fqdn: '_acme-challenge.www.sub.example.test',
      zone: 'sub.example.test',
      cnameChain: [],
    });
    const recursiveAboutChallenge = server!.received.filter(
      (query) => query.rd && query.name.startsWith('_acme'),
    );
    expect(recursiveAboutChallenge).toEqual([]);
    expect(server!.received.filter((query) => !query.rd)).toEqual([
      { transport: 'udp', name: '_acme-challenge.www.sub.example.test', type: 'CNAME', rd: false },
    ]);
    // SOA www.sub (NXDOMAIN, authority names sub.example.test) + SOA sub.example.test + NS + A + AAAA... the
    // NS address comes from the override, so: 2 SOA + 1 NS + 1 authoritative CNAME.
    expect(stats.queries).toBe(4);
  });

  it('walks up from the identifier for a dns-account-01 name too: no resolver is asked about any _ label', async () => {
    const discovery = await discoveryFor([nsFor('example.test'), nsFor('sub.example.test')]);
    const name = '_ujmmovf2vn55tgye._acme-challenge.www.sub.example.test';
    const location = await discovery.locator.locate(name);
    expect(location).toEqual({ name, fqdn: name, zone: 'sub.example.test', cnameChain: [] });
    // `_acme-challenge.www.sub` does not exist before publishing: a cached NXDOMAIN there would hide the name below.
    expect(server!.received.filter((query) => query.rd && query.name.includes('_'))).toEqual([]);
    expect(server!.received.filter((query) => !query.rd)).toEqual([
      { transport: 'udp', name, type: 'CNAME', rd: false },
    ]);
  });

  it('publishes a dns-account-01 record inside a zone delegated at _acme-challenge.<name>', async () => {
    server = await startStaticDnsServer({
      zones: ['example.test', '_acme-challenge.www.example.test'],
      records: [nsFor('example.test'), nsFor('_acme-challenge.www.example.test')],
    });
    const address = formatServerAddress(server.address);
    const discovery = createDnsDiscovery({
      resolvers: [address],
      nameserverAddresses: { 'ns1.example.test': [address] },
    });
    const location = await discovery.locator.locate('_ujmmovf2vn55tgye._acme-challenge.www.example.test');
    expect(location).toMatchObject({
      fqdn: '_ujmmovf2vn55tgye._acme-challenge.www.example.test',
      zone: '_acme-challenge.www.example.test',
    });
  });

  it('follows a CNAME at the challenge name into another zone (acme-dns style)', async () => {
    const discovery = await discoveryFor([
      nsFor('example.test'),
      nsFor('acme.test'),
      { name: '_acme-challenge.www.example.test', type: 'CNAME', data: 'abc123.auth.acme.test' },
      { name: 'abc123.auth.acme.test', type: 'TXT', data: 'old' },
    ]);
    const location = await discovery.locator.locate('_acme-challenge.www.example.test');
    expect(location.fqdn).toBe('abc123.auth.acme.test');
    expect(location.zone).toBe('acme.test');
    expect(location.cnameChain).toEqual(['abc123.auth.acme.test']);
  });

  it('publishes inside a zone delegated at the challenge name itself', async () => {
    server = await startStaticDnsServer({
      zones: ['example.test', '_acme-challenge.www.example.test'],
      records: [nsFor('example.test'), nsFor('_acme-challenge.www.example.test')],
    });
    const address = formatServerAddress(server.address);
    const discovery = createDnsDiscovery({
      resolvers: [address],
      nameserverAddresses: { 'ns1.example.test': [address] },
    });
    const location = await discovery.locator.locate('_acme-challenge.www.example.test');
    expect(location).toMatchObject({
      fqdn: '_acme-challenge.www.example.test',
      zone: '_acme-challenge.www.example.test',
    });
  });

  it('stops a CNAME loop with a typed error that shows the chain', async () => {
    const discovery = await discoveryFor([
      nsFor('example.test'),
      { name: '_acme-challenge.loop.example.test', type: 'CNAME', data: 'b.example.test' },
      { name: 'b.example.test', type: 'CNAME', data: '_acme-challenge.loop.example.test' },
    ]);
    const error = await discovery.locator
      .locate('_acme-challenge.loop.example.test')
      .catch((caught: unknown) => caught);
    expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.DNS_LOOKUP_FAILED);
    expect((error as Error).message).toContain(
      '_acme-challenge.loop.example.test -> b.example.test -> _acme-challenge.loop.example.test',
    );
  });

  it('uses the provider zone list instead of an SOA walk', async () => {
    const discovery = await discoveryFor([nsFor('example.test')]);
    const provider = new InMemoryDnsProvider({ zones: ['example.test'] });
    const withProvider = createDnsDiscovery({
      provider,
      resolvers: discovery.resolvers.servers,
      nameserverAddresses: { 'ns1.example.test': [formatServerAddress(server!.address)] },
    });
    const location = await withProvider.locator.locate('_acme-challenge.a.b.example.test');
    expect(location.zone).toBe('example.test');
    expect(server!.received.some((query) => query.type === 'SOA')).toBe(false);
    expect(provider.calls.map((call) => call.operation)).toEqual(['listZones']);
  });

  it('reports resolvers that refuse with DNS_LOOKUP_FAILED naming them', async () => {
    const discovery = await discoveryFor([]);
    const error = await discovery.locator
      .locate('_acme-challenge.www.unknown.invalid')
      .catch((caught: unknown) => caught);
    expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.DNS_LOOKUP_FAILED);
    expect((error as Error).message).toContain(`${formatServerAddress(server!.address)} answered REFUSED`);
  });

  it('reports a name under no zone with DNS_ZONE_NOT_FOUND', async () => {
    server = await startStaticDnsServer({ zones: ['example.test'], nxdomainOutside: true });
    const discovery = createDnsDiscovery({ resolvers: [formatServerAddress(server.address)] });
    const error = await discovery.locator
      .locate('_acme-challenge.www.unknown.invalid')
      .catch((caught: unknown) => caught);
    expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.DNS_ZONE_NOT_FOUND);
    expect((error as Error).message).toContain('"_acme-challenge.www.unknown.invalid"');
    expect(server.received.map((query) => query.name)).toEqual([
      'www.unknown.invalid',
      'unknown.invalid',
      'invalid',
    ]);
  });
});
