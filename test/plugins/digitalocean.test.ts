import { ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type DigitalOceanOptions, digitalocean, digitaloceanPlugin } from '@certkeeper/dns-digitalocean';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeDigitalOcean, startFakeDigitalOcean } from '@certkeeper/testkit/fakes/digitalocean';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeDigitalOcean, options: DigitalOceanOptions = {}) =>
  digitalocean({ apiToken: fake.token, baseUrl: fake.baseUrl, ...options });

let shared: FakeDigitalOcean;
beforeAll(async () => {
  // Pages of 3: every listing in the kit crosses page boundaries.
  shared = await startFakeDigitalOcean({ maxPerPage: 3, latencyMs: 2 });
  shared.addDomain(zone);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance('digitalocean (fake DigitalOcean API, pages of 3)', () => ({
  provider: provider(shared),
  zone,
  expectedTtl: (requested) => Math.max(30, requested),
  withBadCredentials: () => provider(shared, { apiToken: 'dop_v1_not-a-token' }),
  secondInstance: () => provider(shared),
}));

describe('digitalocean provider against the fake', () => {
  let fake: FakeDigitalOcean;
  afterEach(() => fake?.stop());

  it('writes relative names and unquoted values, and filters listings by the fully qualified name', async () => {
    fake = await startFakeDigitalOcean();
    fake.addDomain(zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('apex-value'));
    await dns.createRecord(zone, txt('wildcard-value'));
    await dns.createRecord(zone, txt('root', '@'));
    const txtRecords = fake.records(zone).filter((record) => record.type === 'TXT');
    expect(txtRecords.map((record) => [record.name, record.data, record.ttl])).toEqual([
      ['_acme-challenge', 'apex-value', 60],
      ['_acme-challenge', 'wildcard-value', 60],
      ['@', 'root', 60],
    ]);
    expect(
      fake.requests
        .filter((r) => r.operation === 'records.list')
        .map((r) => new URL(r.url, 'http://x').searchParams.get('name')),
    ).toEqual(['_acme-challenge.example.test', '_acme-challenge.example.test', 'example.test']);
    expect((await dns.listRecords(zone, { name: '@' })).map((record) => record.value)).toEqual(['root']);
  });

  it('creates a value once even when the API would accept a duplicate, and deletes every copy', async () => {
    fake = await startFakeDigitalOcean();
    fake.addDomain(zone);
    fake.seed(zone, { type: 'TXT', name: '_acme-challenge', data: 'twice' });
    fake.seed(zone, { type: 'TXT', name: '_acme-challenge', data: 'twice' });
    const dns = provider(fake);
    await dns.createRecord(zone, txt('twice'));
    expect(fake.count('records.create')).toBe(0);
    expect(await dns.deleteRecord(zone, txt('twice'))).toBe(true);
    expect(fake.records(zone).filter((record) => record.type === 'TXT')).toEqual([]);
  });

  it('deletes by the id it created without listing, and raises TTLs below 30 s', async () => {
    fake = await startFakeDigitalOcean();
    fake.addDomain(zone);
    const dns = provider(fake);
    expect((await dns.createRecord(zone, txt('short', '_acme-challenge', 5))).ttl).toBe(30);
    fake.resetRequests();
    expect(await dns.deleteRecord(zone, txt('short'))).toBe(true);
    expect(fake.requests.map((request) => request.operation)).toEqual(['records.delete']);
  });

  it('reports a bad token, and a token without the write scopes, as DNS_PROVIDER_UNAUTHORIZED without the token', async () => {
    const readOnly = 'dop_v1_read-only-token-that-must-not-leak';
    fake = await startFakeDigitalOcean({
      tokens: [{ token: 'dop_v1_ok' }, { token: readOnly, scopes: ['domain:read'] }],
    });
    fake.addDomain(zone);
    const bad = await certkeeperRejection(
      provider(fake, { apiToken: 'dop_v1_wrong' }).createRecord(zone, txt('x')),
    );
    expect([bad.code, bad.message.includes('Unable to authenticate you')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    const scoped = await certkeeperRejection(
      provider(fake, { apiToken: readOnly }).createRecord(zone, txt('x')),
    );
    expect([scoped.code, scoped.message.includes('not authorized')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${scoped.message} ${scoped.hint}`).not.toContain(readOnly);
  });

  it('hands a far rate-limit reset to the caller at once, and never repeats a create that met a 5xx', async () => {
    fake = await startFakeDigitalOcean();
    fake.addDomain(zone);
    const dns = provider(fake);
    await dns.listRecords(zone); // the domain lookup is cached
    fake.rateLimit(1, 900);
    const started = Date.now();
    const error = await certkeeperRejection(dns.createRecord(zone, txt('later')));
    expect([error.code, error.retryable, Date.now() - started < 2000]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    expect(error.retryAfter!.getTime() - started).toBeGreaterThan(800_000);
    expect(error.message).toContain('too_many_requests: API Rate limit exceeded.');
    // A POST that met a 503 may have created the record: it is not repeated (a second would be a duplicate); the
    // caller retries later, and the create looks before it posts again.
    fake.injectError({ status: 503, operation: 'records.create' });
    const unavailable = await certkeeperRejection(dns.createRecord(zone, txt('after-503')));
    expect([unavailable.retryable, fake.count('records.create')]).toEqual([true, 1]);
    fake.injectError({ status: 503, operation: 'records.list' });
    await dns.createRecord(zone, txt('after-503')); // a listing is retried at once
    expect(fake.records(zone).filter((record) => record.data === 'after-503')).toHaveLength(1);
  });

  it('lists every domain across pages and says DNS_ZONE_NOT_FOUND for a domain the account lacks', async () => {
    fake = await startFakeDigitalOcean({ maxPerPage: 2 });
    for (const name of ['a.test', 'b.test', 'c.test', 'd.test', zone]) fake.addDomain(name);
    const dns = provider(fake);
    expect((await dns.listZones()).sort()).toEqual(['a.test', 'b.test', 'c.test', 'd.test', zone]);
    expect(fake.count('domains.list')).toBe(3);
    expect((await certkeeperRejection(dns.createRecord('other.test', txt('x')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
  });

  it('the descriptor checks its configuration and builds a provider without touching the network', async () => {
    const created = await digitaloceanPlugin.create({
      apiToken: 'dop_v1_x',
      baseUrl: 'http://127.0.0.1:9/v2',
    });
    expect(typeof created.createRecord).toBe('function');
    await expect(async () =>
      digitaloceanPlugin.create({ apiToken: 'dop_v1_x', pageSize: 'all' } as never),
    ).rejects.toThrow(/"pageSize" must be a whole number/);
  });
});
