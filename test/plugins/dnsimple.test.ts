import { ErrorCodes, SecretRedactor } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type DnsimpleOptions, dnsimple, dnsimplePlugin } from '@certkeeper/dns-dnsimple';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeDnsimple, startFakeDnsimple } from '@certkeeper/testkit/fakes/dnsimple';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeDnsimple, options: DnsimpleOptions = {}) =>
  dnsimple({ apiToken: fake.token, baseUrl: fake.baseUrl, ...options });

let shared: FakeDnsimple;
beforeAll(async () => {
  // Pages of 3: every listing in the kit crosses page boundaries.
  shared = await startFakeDnsimple({ maxPerPage: 3, latencyMs: 2 });
  shared.addZone(zone);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance('dnsimple (fake DNSimple API through the official SDK, pages of 3)', () => ({
  provider: provider(shared),
  zone,
  expectedTtl: (requested) => Math.max(60, requested),
  withBadCredentials: () => provider(shared, { apiToken: 'dnsimple_a_not-a-token' }),
  secondInstance: () => provider(shared),
}));

describe('dnsimple provider against the fake', () => {
  let fake: FakeDnsimple;
  afterEach(() => fake?.stop());

  it('finds the account once from whoami, filters by the relative name ("" for the apex) and decodes quoted content', async () => {
    fake = await startFakeDnsimple();
    fake.addZone(zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('apex-value'));
    await dns.createRecord(zone, txt('with "quotes" and \\', '@'));
    const stored = fake.records(zone).filter((record) => record.type === 'TXT');
    expect(stored.map((record) => [record.name, record.content, record.ttl])).toEqual([
      ['_acme-challenge', '"apex-value"', 60],
      ['', '"with \\"quotes\\" and \\\\"', 60],
    ]);
    expect(fake.count('whoami')).toBe(1);
    expect(
      fake.requests
        .filter((request) => request.operation === 'records.list')
        .map((request) => new URL(request.url, 'http://x').searchParams.get('name')),
    ).toEqual(['_acme-challenge', '']);
    expect(await dns.listRecords(zone, { name: '@' })).toEqual([
      { name: '@', type: 'TXT', value: 'with "quotes" and \\', ttl: 60 },
    ]);
    expect(await dns.deleteRecord(zone, txt('with "quotes" and \\', '@'))).toBe(true);
  });

  it('uses a configured account without whoami, and asks for it when the token is a user token', async () => {
    fake = await startFakeDnsimple({
      tokens: [{ token: 'account-token-1234' }, { token: 'user-token-1234', kind: 'user' }],
    });
    fake.addZone(zone);
    await provider(fake, { accountId: fake.accountId }).listRecords(zone);
    expect(fake.count('whoami')).toBe(0);
    const error = await certkeeperRejection(
      provider(fake, { apiToken: 'user-token-1234' }).listRecords(zone),
    );
    expect([error.code, error.hint]).toEqual([
      ErrorCodes.INVALID_OPTION,
      expect.stringContaining('accountId') as unknown as string,
    ]);
    await provider(fake, { apiToken: 'user-token-1234', accountId: fake.accountId }).listRecords(zone);
  });

  it('deletes by the id it created without listing, and every copy another tool left otherwise', async () => {
    fake = await startFakeDnsimple();
    fake.addZone(zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('mine'));
    fake.resetRequests();
    expect(await dns.deleteRecord(zone, txt('mine'))).toBe(true);
    expect(fake.requests.map((request) => request.operation)).toEqual(['records.delete']);
    fake.seed(zone, { type: 'TXT', name: '_acme-challenge', content: 'unquoted by another tool' });
    expect(await dns.deleteRecord(zone, txt('unquoted by another tool'))).toBe(true);
    expect(await dns.deleteRecord(zone, txt('unquoted by another tool'))).toBe(false);
    expect(fake.records(zone).filter((record) => record.type === 'TXT')).toEqual([]);
  });

  it('reports a bad token, and a token of another account, as DNS_PROVIDER_UNAUTHORIZED without the token', async () => {
    const other = 'dnsimple_a_other-account-token-must-not-leak';
    fake = await startFakeDnsimple({
      tokens: [{ token: 'dnsimple_a_ok' }, { token: other, accountId: 2020 }],
    });
    fake.addZone(zone);
    const bad = await certkeeperRejection(
      provider(fake, { apiToken: 'wrong-token' }).createRecord(zone, txt('x')),
    );
    expect([bad.code, bad.message.includes('Authentication failed')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    const elsewhere = await certkeeperRejection(
      provider(fake, { apiToken: other, accountId: 1010 }).createRecord(zone, txt('x')),
    );
    expect(elsewhere.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(`${elsewhere.message} ${elsewhere.hint}`).not.toContain(other);
  });

  it('registers the token with the redactor given', async () => {
    fake = await startFakeDnsimple();
    const redactor = new SecretRedactor();
    provider(fake, { redactor });
    expect(redactor.redact(`echo ${fake.token}`)).not.toContain(fake.token);
  });

  it('hands a far rate-limit reset to the caller at once, and never repeats a create that met a 5xx', async () => {
    fake = await startFakeDnsimple();
    fake.addZone(zone);
    const dns = provider(fake);
    await dns.listRecords(zone); // account and zone are cached
    fake.rateLimit(1, 900);
    const started = Date.now();
    const error = await certkeeperRejection(dns.createRecord(zone, txt('later')));
    expect([error.code, error.retryable, Date.now() - started < 2000]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    expect(error.retryAfter!.getTime() - started).toBeGreaterThan(800_000);
    expect(error.message).toContain('API rate limit exceeded');
    fake.injectError({ status: 503, operation: 'records.create' });
    const unavailable = await certkeeperRejection(dns.createRecord(zone, txt('after-503')));
    expect([unavailable.retryable, fake.count('records.create')]).toEqual([true, 1]);
    fake.injectError({ status: 503, operation: 'records.list' });
    await dns.createRecord(zone, txt('after-503')); // a listing is retried at once
    expect(fake.records(zone).filter((record) => record.content === '"after-503"')).toHaveLength(1);
  });

  it('takes "Zone record already exists" from a create racing another process as success', async () => {
    // Latency makes both instances list (nothing there) before either posts: the second POST is refused.
    fake = await startFakeDnsimple({ latencyMs: 30 });
    fake.addZone(zone);
    const [first, second] = [provider(fake), provider(fake)];
    await Promise.all([first.listRecords(zone), second.listRecords(zone)]);
    const created = await Promise.all([
      first.createRecord(zone, txt('raced')),
      second.createRecord(zone, txt('raced')),
    ]);
    expect(created.map((record) => record.ttl)).toEqual([60, 60]);
    expect([fake.count('records.create'), fake.records(zone).filter((r) => r.type === 'TXT').length]).toEqual(
      [2, 1],
    );
    expect(
      fake.requests
        .filter((r) => r.operation === 'records.create')
        .map((r) => r.status)
        .sort(),
    ).toEqual([201, 400]);
  });

  it('lists the zones across pages and says DNS_ZONE_NOT_FOUND for a zone the account lacks', async () => {
    fake = await startFakeDnsimple({ maxPerPage: 2 });
    for (const name of ['a.test', 'b.test', 'c.test', 'd.test', zone]) fake.addZone(name);
    fake.addZone('elsewhere.test', 2020);
    const dns = provider(fake);
    expect((await dns.listZones()).sort()).toEqual(['a.test', 'b.test', 'c.test', 'd.test', zone]);
    expect(fake.count('zones.list')).toBe(3);
    for (const absent of ['other.test', 'elsewhere.test'])
      expect((await certkeeperRejection(provider(fake).createRecord(absent, txt('x')))).code).toBe(
        ErrorCodes.DNS_ZONE_NOT_FOUND,
      );
  });

  it('the descriptor checks its configuration and builds a provider without touching the network', async () => {
    const created = await dnsimplePlugin.create({ apiToken: 'x', sandbox: true, accountId: 1 });
    expect(typeof created.createRecord).toBe('function');
    await expect(async () =>
      dnsimplePlugin.create({ apiToken: 'x', accountId: 'me' } as never),
    ).rejects.toThrow(/"accountId" must be a whole number/);
  });
});
