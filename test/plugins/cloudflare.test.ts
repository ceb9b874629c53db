import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type CloudflareOptions, cloudflare } from '@certkeeper/dns-cloudflare';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeCloudflare, startFakeCloudflare } from '@certkeeper/testkit/fakes/cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 120): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

async function caught(promise: Promise<unknown>): Promise<CertkeeperError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!CertkeeperError.isInstance(error)) throw new Error(`expected a CertkeeperError, got ${String(error)}`);
  return error;
}

function provider(fake: FakeCloudflare, options: CloudflareOptions = {}) {
  return cloudflare({ apiToken: fake.token, baseUrl: fake.baseUrl, ...options });
}

let shared: FakeCloudflare;
beforeAll(async () => {
  shared = await startFakeCloudflare();
  shared.addZone(zone);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance('cloudflare (fake Cloudflare API)', () => ({
  provider: provider(shared),
  zone,
  withBadCredentials: () => provider(shared, { apiToken: 'not-a-valid-token' }),
  secondInstance: () => provider(shared),
}));

describe('cloudflare provider against the fake', () => {
  let fake: FakeCloudflare;
  afterEach(() => fake?.stop());

  it('keeps apex and wildcard values as two records, quoted, and deletes exactly one', async () => {
    fake = await startFakeCloudflare();
    const hosted = fake.addZone(zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('apex-value'));
    await dns.createRecord(zone, txt('wildcard-value'));
    expect(fake.records(hosted.id).map((record) => [record.name, record.content])).toEqual([
      ['_acme-challenge.example.test', '"apex-value"'],
      ['_acme-challenge.example.test', '"wildcard-value"'],
    ]);
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(true);
    expect(fake.records(hosted.id).map((record) => record.content)).toEqual(['"wildcard-value"']);
  });

  it('creating an existing value is answered 81058 and treated as success; deleting twice is idempotent', async () => {
    fake = await startFakeCloudflare();
    const hosted = fake.addZone(zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('once'));
    const again = await dns.createRecord(zone, txt('once'));
    expect(again.ttl).toBe(120);
    expect(fake.requests.filter((request) => request.code === 81058)).toHaveLength(1);
    expect(fake.records(hosted.id)).toHaveLength(1);
    expect(await dns.deleteRecord(zone, txt('once'))).toBe(true);
    expect(await dns.deleteRecord(zone, txt('once'))).toBe(false);
  });

  it('two writers at one name (separate processes) lose nothing, with no lock needed', async () => {
    fake = await startFakeCloudflare({ latencyMs: 10 });
    const hosted = fake.addZone(zone);
    const writers = [provider(fake), provider(fake)];
    const values = Array.from({ length: 6 }, (_, index) => `value-${index}`);
    // Every value is created by both writers at once: one POST wins, the other meets 81058.
    await Promise.all(
      values.flatMap((value) => writers.map((writer) => writer.createRecord(zone, txt(value)))),
    );
    expect(
      fake
        .records(hosted.id)
        .map((record) => record.content)
        .sort(),
    ).toEqual(values.map((value) => `"${value}"`).sort());
    const outcomes = await Promise.all(
      values.flatMap((value) => writers.map((writer) => writer.deleteRecord(zone, txt(value)))),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(values.length); // each record removed exactly once
    expect(fake.records(hosted.id)).toEqual([]);
  });

  it('lets the SDK retry a short 429 and succeeds', async () => {
    fake = await startFakeCloudflare();
    fake.addZone(zone);
    fake.rateLimit(2, 0);
    await provider(fake).createRecord(zone, txt('after-429'));
    expect(fake.requests.filter((request) => request.status === 429)).toHaveLength(2);
  });

  it('turns a final 429 into a retryable DNS_PROVIDER_FAILED with the retry time, without waiting for it', async () => {
    fake = await startFakeCloudflare();
    fake.addZone(zone);
    fake.rateLimit(1, 300);
    const started = Date.now();
    const error = await caught(provider(fake).listRecords(zone));
    expect(Date.now() - started).toBeLessThan(2000); // Retry-After 300 s was not slept through
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('971');
    expect(error.retryAfter!.getTime() - started).toBeGreaterThan(290_000);
    fake.rateLimit(5);
    const withoutHeader = await caught(provider(fake, { maxRetries: 1 }).listRecords(zone));
    expect(withoutHeader.retryAfter!.getTime() - Date.now()).toBeGreaterThan(60_000); // Cloudflare's 5-minute block
  });

  it('reports a bad or under-privileged token as DNS_PROVIDER_UNAUTHORIZED without the token', async () => {
    const token = 'cf-token-that-must-not-leak-0123456789abcdef';
    fake = await startFakeCloudflare({
      tokens: [
        { token: 'good-token' },
        { token, permissions: ['Zone:Read', 'DNS:Read'] },
        { token: 'dns-only', permissions: ['DNS:Edit'] },
      ],
    });
    fake.addZone(zone);
    const bad = await caught(provider(fake, { apiToken: `${token}x` }).createRecord(zone, txt('x')));
    expect(bad.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(bad.message).toContain('10000 Authentication error');
    const readOnly = await caught(provider(fake, { apiToken: token }).createRecord(zone, txt('x')));
    expect(readOnly.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    for (const error of [bad, readOnly])
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(token);
    // Without Zone:Read the zone is invisible: say so, and how to work around it.
    const hidden = await caught(provider(fake, { apiToken: 'dns-only' }).createRecord(zone, txt('x')));
    expect(hidden.code).toBe(ErrorCodes.DNS_ZONE_NOT_FOUND);
  });

  it('works with exactly the README token permissions, or DNS:Edit alone plus zoneIds', async () => {
    fake = await startFakeCloudflare({
      tokens: [
        { token: 'least', permissions: ['Zone:Read', 'DNS:Edit'], zones: [zone] },
        { token: 'dns-only', permissions: ['DNS:Edit'], zones: [zone] },
      ],
    });
    const hosted = fake.addZone(zone);
    fake.addZone('other.test');
    const least = provider(fake, { apiToken: 'least' });
    await least.createRecord(zone, txt('ok'));
    expect(await least.listZones()).toEqual([zone]);
    expect(await least.deleteRecord(zone, txt('ok'))).toBe(true);
    expect((await caught(least.createRecord('other.test', txt('no')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
    const pinned = provider(fake, { apiToken: 'dns-only', zoneIds: { [zone]: hosted.id } });
    expect(await pinned.listZones()).toEqual([zone]);
    await pinned.createRecord(zone, txt('pinned'));
    expect(await pinned.deleteRecord(zone, txt('pinned'))).toBe(true);
    // lookup of example.test, listZones, other.test and test: the pinned provider added none.
    expect(fake.count('zones.list')).toBe(4);
  });

  it('walks up the labels to the zone, and follows pagination of zones and records', async () => {
    fake = await startFakeCloudflare({ maxPerPage: 2 });
    for (const name of ['a.test', 'b.test', 'c.test', 'd.test']) fake.addZone(name);
    const hosted = fake.addZone(zone);
    for (let index = 0; index < 5; index++)
      fake.seed(hosted.id, { name: `_acme-challenge.page`, type: 'TXT', content: `"v${index}"` });
    const dns = provider(fake);
    fake.resetRequests();
    // sub.example.test is no zone of its own: its names live in example.test.
    expect(await dns.listRecords('sub.example.test', { name: '_acme-challenge' })).toEqual([]);
    expect(fake.count('zones.list')).toBe(2); // sub.example.test (none), then example.test
    const values = (await dns.listRecords(zone, { name: '_acme-challenge.page' })).map(
      (record) => record.value,
    );
    expect(values.sort()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    expect(fake.count('dns_records.list')).toBe(1 + 3); // pages of 2, stopping at total_pages (no empty page)
    fake.resetRequests();
    expect((await dns.listZones()).sort()).toEqual(['a.test', 'b.test', 'c.test', 'd.test', zone]);
    expect(fake.count('zones.list')).toBe(3);
  });

  it('raises TTLs below the minimum and reports Cloudflare "automatic" as 300', async () => {
    fake = await startFakeCloudflare();
    const hosted = fake.addZone(zone);
    const dns = provider(fake);
    expect((await dns.createRecord(zone, txt('short', '_acme-challenge', 10))).ttl).toBe(60);
    fake.seed(hosted.id, { name: '_acme-challenge.auto', type: 'TXT', content: 'legacy unquoted', ttl: 1 });
    expect(await dns.listRecords(zone, { name: '_acme-challenge.auto' })).toEqual([
      { name: '_acme-challenge.auto', type: 'TXT', value: 'legacy unquoted', ttl: 300 },
    ]);
    expect(await dns.deleteRecord(zone, txt('legacy unquoted', '_acme-challenge.auto'))).toBe(true);
  });
});
