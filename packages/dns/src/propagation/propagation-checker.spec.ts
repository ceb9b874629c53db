import { ErrorCodes } from '@certkeeper/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { FixtureRecord } from '../__fixtures__/static-dns-server.js';
import { startStaticDnsServer } from '../__fixtures__/static-dns-server.js';
import { startTwoNameservers, type TwoNameservers } from '../__fixtures__/two-nameservers.js';
import { createDnsDiscovery } from '../discovery/dns-discovery.js';
import { formatServerAddress } from '../wire/server-address.js';
import { PropagationChecker } from './propagation-checker.js';

const zone = 'example.test';
const fqdn = '_acme-challenge.example.test';
const published: FixtureRecord[] = [
  { name: fqdn, type: 'TXT', data: 'apex-value' },
  { name: fqdn, type: 'TXT', data: 'wildcard-value' },
];
const expectation = { fqdn, zone, values: ['apex-value', 'wildcard-value'] };

let servers: TwoNameservers;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await servers?.close();
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

describe('PropagationChecker', () => {
  it('is not ready while one nameserver lags, names it, and says when to look again', async () => {
    servers = await startTwoNameservers([zone], () => published);
    servers.secondary = [published[0]!];
    const startedAt = new Date();
    const checker = new PropagationChecker(createDnsDiscovery(servers.discovery), { initialIntervalMs: 500 });
    const result = await checker.check([expectation], { startedAt });
    expect(result.status).toBe('pending');
    if (result.status !== 'pending') return;
    expect(result.lagging.map((status) => status.nameserver)).toEqual(['ns2.example.test']);
    expect(result.lagging[0]!.missing).toEqual(['wildcard-value']);
    expect(result.detail).toMatch(/^Waiting for 1 of 2 authoritative nameservers to serve the records: /);
    expect(result.detail).toContain(
      `ns2.example.test ${formatServerAddress(servers.ns2.address)} has 1 of 2 expected values at ${fqdn} (answered NOERROR)`,
    );
    expect(result.checkAgainAt.getTime()).toBe(startedAt.getTime() + 500);
    // 1 NS query for the zone, then one non-recursive TXT query per nameserver address.
    expect(result.queries).toBe(3);
    expect(servers.ns2.received.filter((query) => query.name === fqdn).every((query) => !query.rd)).toBe(
      true,
    );

    servers.secondary = published;
    const after = await checker.check([expectation], { startedAt });
    expect(after.status).toBe('ready');
    expect(after.servers.map((status) => [status.nameserver, status.values])).toEqual([
      ['ns1.example.test', ['apex-value', 'wildcard-value']],
      ['ns2.example.test', ['apex-value', 'wildcard-value']],
    ]);
  });

  it('looks the zone up once per check, however many names of the order it holds', async () => {
    const names = [
      '_acme-challenge.a.example.test',
      '_acme-challenge.b.example.test',
      '_acme-challenge.c.example.test',
    ];
    servers = await startTwoNameservers([zone], () =>
      names.map((name) => ({ name, type: 'TXT', data: 'v' })),
    );
    servers.secondary = names.map((name) => ({ name, type: 'TXT', data: 'v' }));
    const checker = new PropagationChecker(createDnsDiscovery(servers.discovery));
    const result = await checker.check(
      names.map((name) => ({ fqdn: name, zone, values: ['v'] })),
      { startedAt: new Date() },
    );
    expect(result.status).toBe('ready');
    // One NS query, then 3 names x 2 nameservers.
    expect(result.queries).toBe(7);
  });

  it('fails after the deadline with a typed error naming the lagging server and what it returned', async () => {
    servers = await startTwoNameservers([zone], () => published);
    const checker = new PropagationChecker(createDnsDiscovery(servers.discovery), { timeoutMs: 1000 });
    const result = await checker.check([expectation], { startedAt: new Date(Date.now() - 5000) });
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error.code).toBe(ErrorCodes.DNS_PROPAGATION_TIMEOUT);
    expect(result.error.message).toContain('ns2.example.test');
    expect(result.error.message).toContain('answered NXDOMAIN');
    expect(result.error.message).toContain('returned []');
    expect(result.error.message).not.toContain('ns1.example.test');
  });

  it('asks recursive resolvers only once every authoritative server is ready', async () => {
    servers = await startTwoNameservers([zone], () => published);
    const resolver = await startStaticDnsServer({ zones: [zone], records: published });
    cleanups.push(() => resolver.close());
    const checker = new PropagationChecker(createDnsDiscovery(servers.discovery), {
      recursiveResolvers: [formatServerAddress(resolver.address)],
    });
    const lagging = await checker.check([expectation], { startedAt: new Date() });
    expect(lagging.status).toBe('pending');
    expect(resolver.received).toEqual([]);

    servers.secondary = published;
    const ready = await checker.check([{ ...expectation, name: fqdn }], { startedAt: new Date() });
    expect(ready.status).toBe('ready');
    expect(resolver.received).toEqual([{ transport: 'udp', name: fqdn, type: 'TXT', rd: true }]);
    expect(ready.servers.filter((status) => status.kind === 'recursive')).toHaveLength(1);
  });

  it('reports a server that does not answer as lagging instead of failing the check', async () => {
    servers = await startTwoNameservers([zone], () => published);
    servers.secondary = published;
    const discovery = createDnsDiscovery({
      ...servers.discovery,
      nameserverAddresses: { ...servers.discovery.nameserverAddresses, 'ns2.example.test': ['127.0.0.1:9'] },
      transportOptions: { timeoutMs: 100, udpAttempts: 1 },
    });
    const result = await new PropagationChecker(discovery).check([expectation], { startedAt: new Date() });
    expect(result.status).toBe('pending');
    expect(result.servers.find((status) => status.nameserver === 'ns2.example.test')?.error).toBeDefined();
  });
});
