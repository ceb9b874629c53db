import { ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type DesecOptions, desec } from '@certkeeper/dns-desec';
import {
  describeDnsProviderConformance,
  runDnsProviderConformance,
} from '@certkeeper/testkit/dns-conformance';
import { DESEC_RATES, type FakeDesec, startFakeDesec } from '@certkeeper/testkit/fakes/desec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeDesec, options: DesecOptions = {}) =>
  desec({ apiToken: fake.token, baseUrl: fake.baseUrl, ...options });

let shared: FakeDesec;
beforeAll(async () => {
  // deSEC's default minimum TTL, and pagination forced from 3 items on.
  shared = await startFakeDesec({ pageSize: 3, latencyMs: 2 });
  shared.addDomain(zone, 3600);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance(
  'desec (fake deSEC API, minimum TTL 3600, pages of 3)',
  () => ({
    provider: provider(shared),
    zone,
    expectedTtl: (requested) => Math.max(3600, requested),
    withBadCredentials: () => provider(shared, { apiToken: 'not-a-token' }),
  }),
  {
    notApplicable: {
      twoInstances:
        'deSEC replaces a whole RRset per write and has no conditional write; two processes at one name can lose a value',
    },
  },
);

describe('desec provider against the fake', () => {
  let fake: FakeDesec;
  afterEach(() => fake?.stop());

  it('keeps apex and wildcard values in one RRset, quoted, and keeps values written by others', async () => {
    fake = await startFakeDesec();
    fake.addDomain(zone, 60);
    fake.seed(zone, [{ subname: '_acme-challenge', type: 'TXT', ttl: 300, records: ['"someone else"'] }]);
    const dns = provider(fake);
    expect((await dns.createRecord(zone, txt('apex-value'))).ttl).toBe(300);
    await dns.createRecord(zone, txt('wildcard-value'));
    expect(fake.rrsets(zone)[0]!.records).toEqual(['"someone else"', '"apex-value"', '"wildcard-value"']);
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(true);
    expect(fake.rrsets(zone)[0]!.records).toEqual(['"someone else"', '"wildcard-value"']);
  });

  it('publishes an order in one bulk write per zone, within deSEC’s real write limits', async () => {
    fake = await startFakeDesec({ writeRates: DESEC_RATES.write, readRates: DESEC_RATES.read });
    fake.addDomain(zone, 60);
    const dns = provider(fake);
    const records = [txt('a'), txt('b'), txt('c', '_acme-challenge.www'), txt('root', '@')];
    await dns.applyChanges(zone, { create: records, delete: [] });
    expect(fake.count('rrsets.bulk_patch')).toBe(1);
    expect((await dns.listRecords(zone)).map((record) => `${record.name}=${record.value}`).sort()).toEqual([
      '@=root',
      '_acme-challenge.www=c',
      '_acme-challenge=a',
      '_acme-challenge=b',
    ]);
    await dns.applyChanges(zone, { create: [], delete: records });
    expect(fake.count('rrsets.bulk_patch')).toBe(2);
    expect(fake.rrsets(zone)).toEqual([]);
    expect(fake.requests.filter((request) => request.status === 429)).toEqual([]);
  });

  it('waits out a short throttle (Retry-After) and hands a long one to the caller at once', async () => {
    fake = await startFakeDesec({ writeRates: [{ count: 1, periodMs: 800 }] });
    fake.addDomain(zone, 60);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('first'));
    await dns.createRecord(zone, txt('second')); // throttled for under a second, retried inline
    expect(fake.requests.filter((request) => request.status === 429).length).toBeGreaterThan(0);
    fake.injectError({
      status: 429,
      detail: 'Request was throttled. Expected available in 56 seconds.',
      retryAfter: 56,
    });
    const started = Date.now();
    const error = await certkeeperRejection(dns.deleteRecord(zone, txt('first')));
    expect([error.code, error.retryable, Date.now() - started < 2000]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    expect(error.retryAfter!.getTime() - started).toBeGreaterThan(50_000);
    expect(error.message).toContain('Expected available in 56 seconds');
  });

  it('works with a token policy that only allows writing the challenge RRsets, and reports the rest as unauthorized', async () => {
    const token = 'policy-token-that-must-not-leak';
    fake = await startFakeDesec({
      tokens: [
        {
          token,
          policies: [
            { domain: null, subname: null, type: null, perm_write: false },
            { domain: zone, subname: '_acme-challenge', type: 'TXT', perm_write: true },
          ],
        },
      ],
    });
    fake.addDomain(zone, 60);
    const dns = provider(fake, { apiToken: token });
    await dns.createRecord(zone, txt('allowed'));
    expect(await dns.deleteRecord(zone, txt('allowed'))).toBe(true);
    const denied = await certkeeperRejection(dns.createRecord(zone, txt('denied', 'www')));
    expect([denied.code, denied.message.includes('You do not have permission')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    const bad = await certkeeperRejection(provider(fake, { apiToken: `${token}x` }).listRecords(zone));
    expect([bad.code, bad.message.includes('Invalid token.')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${bad.message} ${denied.message}`).not.toContain(token);
  });

  it('follows cursor pagination for domains and RRsets, and an unknown domain is DNS_ZONE_NOT_FOUND', async () => {
    fake = await startFakeDesec({ pageSize: 2 });
    for (const name of ['a.test', 'b.test', 'c.test', 'd.test', zone]) fake.addDomain(name, 60);
    const dns = provider(fake);
    expect((await dns.listZones()).sort()).toEqual(['a.test', 'b.test', 'c.test', 'd.test', zone]);
    expect(fake.count('domains.list')).toBe(3);
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5'])
      await dns.createRecord(zone, txt(name, `_acme-challenge.${name}`));
    expect(await dns.listRecords(zone)).toHaveLength(5);
    expect((await certkeeperRejection(dns.createRecord('other.test', txt('x')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
  });

  it('quotes deSEC’s field errors, e.g. a TTL under a minimum raised after the domain was looked up', async () => {
    fake = await startFakeDesec();
    fake.addDomain(zone, 60);
    const dns = provider(fake);
    await dns.listRecords(zone); // caches minimum_ttl 60
    fake.addDomain(zone, 3600);
    const error = await certkeeperRejection(dns.createRecord(zone, txt('y')));
    expect([error.code, error.retryable]).toEqual([ErrorCodes.DNS_PROVIDER_FAILED, false]);
    expect(error.message).toContain('HTTP 400: ttl: Ensure this value is greater than or equal to 3600.');
  });

  it('without the declaration, the kit’s two-instance case catches the lost value (why it is declared)', async () => {
    fake = await startFakeDesec({ latencyMs: 5 });
    fake.addDomain(zone, 60);
    const outcomes = await runDnsProviderConformance(
      () => ({ provider: provider(fake), zone, secondInstance: () => provider(fake) }),
      { notApplicable: { badCredentials: 'not under test' } },
    );
    expect(outcomes.find((outcome) => outcome.id === 'two-instances')?.passed).toBe(false);
  });
});
