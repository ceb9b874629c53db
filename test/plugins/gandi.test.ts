import { ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type GandiOptions, gandi } from '@certkeeper/dns-gandi';
import {
  describeDnsProviderConformance,
  runDnsProviderConformance,
} from '@certkeeper/testkit/dns-conformance';
import { type FakeGandi, startFakeGandi } from '@certkeeper/testkit/fakes/gandi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 300): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeGandi, options: GandiOptions = {}) =>
  gandi({ apiToken: fake.token, baseUrl: fake.baseUrl, ...options });

let shared: FakeGandi;
beforeAll(async () => {
  shared = await startFakeGandi({ maxPerPage: 2, latencyMs: 2 });
  shared.addDomain(zone);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance(
  'gandi (fake LiveDNS API, pages of 2)',
  () => ({
    provider: provider(shared),
    zone,
    expectedTtl: (requested) => Math.max(300, requested),
    withBadCredentials: () => provider(shared, { apiToken: 'not-a-token' }),
  }),
  {
    notApplicable: {
      twoInstances:
        'LiveDNS replaces a whole record set per PUT and has no conditional write; two processes at one name can lose a value',
    },
  },
);

describe('gandi provider against the fake', () => {
  let fake: FakeGandi;
  afterEach(() => fake?.stop());

  it('appends a second value without clobbering the first, keeps values of others, and deletes one exactly', async () => {
    fake = await startFakeGandi();
    fake.addDomain(zone);
    // Written unquoted by another tool: LiveDNS returns it quoted, and it must survive.
    fake.seed(zone, { name: '_acme-challenge', type: 'TXT', ttl: 1800, values: ['other-tool'] });
    const dns = provider(fake);
    expect((await dns.createRecord(zone, txt('apex-value'))).ttl).toBe(1800);
    await dns.createRecord(zone, txt('wildcard-value'));
    expect(fake.rrsets(zone)[0]!.values).toEqual(['"other-tool"', '"apex-value"', '"wildcard-value"']);
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(true);
    expect(fake.rrsets(zone)[0]!.values).toEqual(['"other-tool"', '"wildcard-value"']);
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(false);
  });

  it('deletes the record set when its last value goes, and raises a TTL under 300 s', async () => {
    fake = await startFakeGandi();
    fake.addDomain(zone);
    const dns = provider(fake);
    expect((await dns.createRecord(zone, txt('only', '@', 60))).ttl).toBe(300);
    expect(await dns.listRecords(zone, { name: '@' })).toEqual([
      { name: '@', type: 'TXT', value: 'only', ttl: 300 },
    ]);
    expect(await dns.deleteRecord(zone, txt('only', '@'))).toBe(true);
    expect([fake.rrsets(zone), fake.count('records.delete')]).toEqual([[], 1]);
  });

  it('works with a token restricted to the domain, and reports the others and a missing permission', async () => {
    const restricted = 'restricted-pat-that-must-not-leak';
    fake = await startFakeGandi({
      tokens: [
        { token: restricted, domains: [zone] },
        { token: 'read-only', manageTechnical: false },
      ],
    });
    fake.addDomain(zone);
    fake.addDomain('other.test');
    const dns = provider(fake, { apiToken: restricted });
    await dns.createRecord(zone, txt('ok'));
    expect(await dns.listZones()).toEqual([zone]);
    const other = await certkeeperRejection(dns.createRecord('other.test', txt('no')));
    expect([other.code, other.message.includes('Access was denied')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    const readOnly = await certkeeperRejection(
      provider(fake, { apiToken: 'read-only' }).createRecord(zone, txt('no')),
    );
    expect(readOnly.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    const bad = await certkeeperRejection(
      provider(fake, { apiToken: `${restricted}x` }).createRecord(zone, txt('no')),
    );
    expect([bad.code, bad.message.includes('Unauthorized: The server could not verify')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${bad.message} ${other.message}`).not.toContain(restricted);
  });

  it('retries a 429 with a short Retry-After and hands a long one to the caller, quoting Gandi', async () => {
    fake = await startFakeGandi();
    fake.addDomain(zone);
    const dns = provider(fake);
    fake.injectError({ status: 429, message: 'Too many requests', operation: 'records.put', retryAfter: 0 });
    await dns.createRecord(zone, txt('after-429'));
    fake.injectError({ status: 429, message: 'Too many requests', retryAfter: 120 });
    const limited = await certkeeperRejection(dns.listRecords(zone));
    expect([limited.retryable, limited.retryAfter!.getTime() - Date.now() > 100_000]).toEqual([true, true]);
    expect(limited.message).toContain('Too Many Requests: Too many requests');
  });

  it('pages through domains and record sets, and an unknown domain is DNS_ZONE_NOT_FOUND', async () => {
    fake = await startFakeGandi({ maxPerPage: 2 });
    for (const name of ['a.test', 'b.test', 'c.test', zone]) fake.addDomain(name);
    const dns = provider(fake, { pageSize: 2 });
    expect((await dns.listZones()).sort()).toEqual(['a.test', 'b.test', 'c.test', zone]);
    expect(fake.count('domains.list')).toBe(3); // 2 + 2 + an empty page
    for (const name of ['p1', 'p2', 'p3']) await dns.createRecord(zone, txt(name, `_acme-challenge.${name}`));
    expect(await dns.listRecords(zone)).toHaveLength(3);
    expect((await certkeeperRejection(dns.createRecord('nope.test', txt('x')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
  });

  it('without the declaration, the kit’s two-instance case catches the lost value (why it is declared)', async () => {
    fake = await startFakeGandi({ latencyMs: 5 });
    fake.addDomain(zone);
    const outcomes = await runDnsProviderConformance(
      () => ({
        provider: provider(fake),
        zone,
        secondInstance: () => provider(fake),
        expectedTtl: () => 300,
      }),
      { notApplicable: { badCredentials: 'not under test' } },
    );
    expect(outcomes.find((outcome) => outcome.id === 'two-instances')?.passed).toBe(false);
  });
});
