import { ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type HetznerOptions, hetzner } from '@certkeeper/dns-hetzner';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeHetzner, startFakeHetzner } from '@certkeeper/testkit/fakes/hetzner';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeHetzner, options: HetznerOptions = {}) =>
  hetzner({ apiToken: fake.token, baseUrl: fake.baseUrl, actionPollIntervalMs: 10, ...options });

let shared: FakeHetzner;
beforeAll(async () => {
  shared = await startFakeHetzner({ maxPerPage: 2, actionDelayMs: 15, latencyMs: 2 });
  shared.addZone(zone);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance('hetzner (fake Hetzner Cloud API, async actions, pages of 2)', () => ({
  provider: provider(shared),
  zone,
  expectedTtl: (requested) => Math.max(60, requested),
  withBadCredentials: () => provider(shared, { apiToken: 'not-a-token' }),
  secondInstance: () => provider(shared),
}));

describe('hetzner provider against the fake', () => {
  let fake: FakeHetzner;
  afterEach(() => fake?.stop());

  it('adds values one by one with atomic actions, quoted, waiting for each action, and keeps values of others', async () => {
    fake = await startFakeHetzner({ actionDelayMs: 40 });
    fake.addZone(zone);
    fake.seed(zone, {
      name: '_acme-challenge',
      type: 'TXT',
      ttl: 300,
      values: ['"written by someone else"'],
    });
    const dns = provider(fake);
    const created = await dns.createRecord(zone, txt('apex-value'));
    expect(created.ttl).toBe(300); // an existing RRset keeps its TTL
    await dns.createRecord(zone, txt('wildcard-value'));
    const set = fake.rrsets(zone).find((candidate) => candidate.name === '_acme-challenge')!;
    expect(set.records.map((record) => record.value)).toEqual([
      '"written by someone else"',
      '"apex-value"',
      '"wildcard-value"',
    ]);
    expect(fake.count('actions.get')).toBeGreaterThanOrEqual(2);
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(true);
    expect(fake.rrsets(zone).find((candidate) => candidate.name === '_acme-challenge')!.records).toHaveLength(
      2,
    );
  });

  it('a new RRset gets the TTL asked for (at least 60 s); the apex is "@"', async () => {
    fake = await startFakeHetzner();
    fake.addZone(zone);
    const dns = provider(fake);
    expect((await dns.createRecord(zone, txt('short', '_acme-challenge', 10))).ttl).toBe(60);
    await dns.createRecord(zone, txt('root', '@'));
    expect(await dns.listRecords(zone, { name: '@' })).toEqual([
      { name: '@', type: 'TXT', value: 'root', ttl: 60 },
    ]);
  });

  it('retries a zone locked by another action and a 503, and reports a failed action', async () => {
    fake = await startFakeHetzner();
    fake.addZone(zone);
    const dns = provider(fake);
    await dns.listRecords(zone);
    fake.injectError({ status: 409, code: 'locked', operation: 'rrsets.add_records' });
    fake.injectError({ status: 503, code: 'unavailable', operation: 'rrsets.add_records' });
    await dns.createRecord(zone, txt('after-lock'));
    expect(fake.requests.filter((request) => request.status === 409 || request.status === 503)).toHaveLength(
      2,
    );
  });

  it('reports a bad token, and a read-only token on a write, as DNS_PROVIDER_UNAUTHORIZED without the token', async () => {
    const readOnly = 'read-only-token-that-must-not-leak';
    fake = await startFakeHetzner({ tokens: [{ token: 'rw' }, { token: readOnly, readOnly: true }] });
    fake.addZone(zone);
    const bad = await certkeeperRejection(provider(fake, { apiToken: 'wrong' }).createRecord(zone, txt('x')));
    expect([bad.code, bad.message.includes('unauthorized: unable to authenticate')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    const readonly = await certkeeperRejection(
      provider(fake, { apiToken: readOnly }).createRecord(zone, txt('x')),
    );
    expect([readonly.code, readonly.message.includes('token_readonly')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${readonly.message} ${readonly.hint}`).not.toContain(readOnly);
  });

  it('hands a spent hourly budget to the caller at once, with RateLimit-Reset as the retry time', async () => {
    fake = await startFakeHetzner();
    fake.addZone(zone);
    fake.rateLimit(1, 1800);
    const started = Date.now();
    const error = await certkeeperRejection(provider(fake).listRecords(zone));
    expect([error.code, error.retryable, Date.now() - started < 2000]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    expect(error.retryAfter!.getTime() - started).toBeGreaterThan(1_700_000);
  });

  it('lists zones across pages, and an unknown zone is DNS_ZONE_NOT_FOUND', async () => {
    fake = await startFakeHetzner({ maxPerPage: 2 });
    for (const name of ['a.test', 'b.test', 'c.test', zone]) fake.addZone(name);
    const dns = provider(fake);
    expect((await dns.listZones()).sort()).toEqual(['a.test', 'b.test', 'c.test', zone]);
    expect(fake.count('zones.list')).toBe(2);
    expect((await certkeeperRejection(dns.createRecord('other.test', txt('x')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
  });
});
