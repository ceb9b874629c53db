import { ErrorCodes, SecretRedactor } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type LinodeOptions, linode, linodePlugin, linodeTtl } from '@certkeeper/dns-linode';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeLinode, startFakeLinode } from '@certkeeper/testkit/fakes/linode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeLinode, options: LinodeOptions = {}) =>
  linode({ apiToken: fake.token, baseUrl: fake.baseUrl, ...options });

let shared: FakeLinode;
beforeAll(async () => {
  // Pages of 3: every listing in the kit crosses page boundaries.
  shared = await startFakeLinode({ maxPerPage: 3, latencyMs: 2 });
  shared.addDomain(zone);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance('linode (fake Linode API, pages of 3)', () => ({
  provider: provider(shared),
  zone,
  expectedTtl: linodeTtl,
  withBadCredentials: () => provider(shared, { apiToken: 'not-a-token' }),
  secondInstance: () => provider(shared),
}));

describe('linode provider against the fake', () => {
  let fake: FakeLinode;
  afterEach(() => fake?.stop());

  it('writes relative names ("" for the apex), unquoted targets and valid TTLs, finding the domain by X-Filter', async () => {
    fake = await startFakeLinode();
    fake.addDomain('other.test');
    fake.addDomain(zone);
    const dns = provider(fake);
    expect((await dns.createRecord(zone, txt('apex-value'))).ttl).toBe(120); // 60 is not a Linode TTL
    await dns.createRecord(zone, txt('root', '@', 3000));
    expect(fake.records(zone).map((record) => [record.name, record.target, record.ttl_sec])).toEqual([
      ['_acme-challenge', 'apex-value', 120],
      ['', 'root', 3600],
    ]);
    // The domain is looked up once, by name: a path by name would be a 404 (domains are addressed by id).
    expect(fake.count('domains.list')).toBe(1);
    expect(await dns.listRecords(zone, { name: '@' })).toEqual([
      { name: '@', type: 'TXT', value: 'root', ttl: 3600 },
    ]);
  });

  it('creates a value once even when the API would accept a duplicate, and deletes every copy', async () => {
    fake = await startFakeLinode();
    fake.addDomain(zone);
    fake.seed(zone, { type: 'TXT', name: '_acme-challenge', target: 'twice' });
    fake.seed(zone, { type: 'TXT', name: '_acme-challenge', target: 'twice' });
    fake.seed(zone, { type: 'TXT', name: '_acme-challenge', target: '"quoted by another tool"' });
    const dns = provider(fake);
    await dns.createRecord(zone, txt('twice'));
    expect(fake.count('records.create')).toBe(0);
    expect((await dns.listRecords(zone)).map((record) => record.value).sort()).toEqual([
      'quoted by another tool',
      'twice',
      'twice',
    ]);
    expect(await dns.deleteRecord(zone, txt('twice'))).toBe(true);
    expect(await dns.deleteRecord(zone, txt('quoted by another tool'))).toBe(true);
    expect(fake.records(zone)).toEqual([]);
  });

  it('deletes by the id it created without listing', async () => {
    fake = await startFakeLinode();
    fake.addDomain(zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('mine'));
    fake.resetRequests();
    expect(await dns.deleteRecord(zone, txt('mine'))).toBe(true);
    expect(fake.requests.map((request) => request.operation)).toEqual(['records.delete']);
    expect(await dns.deleteRecord(zone, txt('mine'))).toBe(false);
  });

  it('reports a bad token, and a read-only token, as DNS_PROVIDER_UNAUTHORIZED without the token', async () => {
    const readOnly = 'read-only-token-that-must-not-leak';
    fake = await startFakeLinode({
      tokens: [{ token: 'ok' }, { token: readOnly, scopes: ['domains:read_only'] }],
    });
    fake.addDomain(zone);
    const bad = await certkeeperRejection(provider(fake, { apiToken: 'wrong' }).createRecord(zone, txt('x')));
    expect([bad.code, bad.message.includes('Invalid Token')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    const scoped = await certkeeperRejection(
      provider(fake, { apiToken: readOnly }).createRecord(zone, txt('x')),
    );
    expect([scoped.code, scoped.message.includes('Unauthorized')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${scoped.message} ${scoped.hint}`).not.toContain(readOnly);
  });

  it('registers the token with the redactor given', async () => {
    fake = await startFakeLinode();
    const redactor = new SecretRedactor();
    provider(fake, { redactor });
    expect(redactor.redact(`echo ${fake.token}`)).not.toContain(fake.token);
  });

  it('hands a far rate-limit reset to the caller at once, and never repeats a create that met a 5xx', async () => {
    fake = await startFakeLinode();
    fake.addDomain(zone);
    const dns = provider(fake);
    await dns.listRecords(zone); // the domain id is cached
    fake.rateLimit(1, 900);
    const started = Date.now();
    const error = await certkeeperRejection(dns.createRecord(zone, txt('later')));
    expect([error.code, error.retryable, Date.now() - started < 2000]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    expect(error.retryAfter!.getTime() - started).toBeGreaterThan(800_000);
    expect(error.message).toContain('Too Many Requests');
    fake.injectError({ status: 503, operation: 'records.create' });
    const unavailable = await certkeeperRejection(dns.createRecord(zone, txt('after-503')));
    expect([unavailable.retryable, fake.count('records.create')]).toEqual([true, 1]);
    fake.injectError({ status: 503, operation: 'records.list' });
    await dns.createRecord(zone, txt('after-503')); // a listing is retried at once
    expect(fake.records(zone).filter((record) => record.target === 'after-503')).toHaveLength(1);
  });

  it('lists master domains across pages, and says DNS_ZONE_NOT_FOUND for an absent or secondary domain', async () => {
    fake = await startFakeLinode({ maxPerPage: 2 });
    for (const name of ['a.test', 'b.test', 'c.test', 'd.test', zone]) fake.addDomain(name);
    fake.addDomain('secondary.test', 'slave');
    const dns = provider(fake);
    expect((await dns.listZones()).sort()).toEqual(['a.test', 'b.test', 'c.test', 'd.test', zone]);
    expect(fake.count('domains.list')).toBe(3);
    for (const absent of ['other.test', 'secondary.test'])
      expect((await certkeeperRejection(provider(fake).createRecord(absent, txt('x')))).code).toBe(
        ErrorCodes.DNS_ZONE_NOT_FOUND,
      );
  });

  it('the descriptor checks its configuration and builds a provider without touching the network', async () => {
    const created = await linodePlugin.create({ apiToken: 'x', baseUrl: 'http://127.0.0.1:9/v4' });
    expect(typeof created.createRecord).toBe('function');
    await expect(async () =>
      linodePlugin.create({ apiToken: 'x', pageSize: 'all' } as never),
    ).rejects.toThrow(/"pageSize" must be a whole number/);
    await expect(async () => linodePlugin.create({ apiToken: 'x', pageSize: 10 })).rejects.toThrow(
      /25 to 500/,
    );
  });
});
