import { ErrorCodes } from '@certkeeper/core';
import { type DnsRecord, isZoneLister } from '@certkeeper/dns';
import { type AcmeDnsAccount, acmeDns, acmeDnsPlugin } from '@certkeeper/dns-acme-dns';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeAcmeDns, startFakeAcmeDns } from '@certkeeper/testkit/fakes/acme-dns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const value = (seed: string) => seed.repeat(43).slice(0, 43); // acme-dns takes 43 base64url characters only
const txt = (name: string, text: string): DnsRecord => ({ name, type: 'TXT', value: text, ttl: 60 });

/** Registers one account per domain at the fake, as `certkeeper acme-dns register` does. */
function accountsFor(fake: FakeAcmeDns, domains: readonly string[]): Record<string, AcmeDnsAccount> {
  return Object.fromEntries(domains.map((domain) => [domain, fake.register()]));
}

const provider = (fake: FakeAcmeDns, accounts: Record<string, AcmeDnsAccount>) =>
  acmeDns({ apiUrl: fake.apiUrl, dnsServer: fake.dnsServer, accounts: JSON.stringify(accounts) });

let shared: FakeAcmeDns;
beforeAll(async () => {
  shared = await startFakeAcmeDns({ latencyMs: 2 });
});
afterAll(() => shared?.stop());

let cases = 0;
describeDnsProviderConformance(
  'acme-dns (fake acme-dns: HTTP API and its DNS server)',
  () => {
    const accounts = accountsFor(
      shared,
      ['a', 'b', 'c'].map((label) => `${label}${cases++}.example.test`),
    );
    const subdomains = Object.values(accounts).map((account) => account.subdomain);
    const wrongKeys = Object.fromEntries(
      Object.entries(accounts).map(([domain, account]) => [domain, { ...account, password: 'x'.repeat(40) }]),
    );
    return {
      provider: provider(shared, accounts),
      zone: shared.domain,
      freshName: () => subdomains.shift()!,
      expectedTtl: () => 1,
      withBadCredentials: () => provider(shared, wrongKeys),
    };
  },
  {
    notApplicable: {
      deletion: 'acme-dns has no delete: a value stays until two newer ones replace it',
      arbitraryNames: 'only registered subdomains can be written',
      manyValues: 'acme-dns keeps the two most recent values of a subdomain',
      twoInstances:
        'its case writes six values at one name; two instances writing one value each is tested below',
    },
  },
);

describe('acme-dns provider against the fake', () => {
  let fake: FakeAcmeDns;
  afterEach(() => fake?.stop());

  it('apex + wildcard from two processes at once: both values are served', async () => {
    fake = await startFakeAcmeDns({ latencyMs: 5, nowSeconds: () => 1_700_000_000 }); // both updates in one second
    const accounts = accountsFor(fake, ['example.test']);
    const [first, second] = [provider(fake, accounts), provider(fake, accounts)];
    const name = accounts['example.test']!.subdomain;
    await Promise.all([
      first.createRecord(fake.domain, txt(name, value('A'))),
      second.createRecord(fake.domain, txt(name, value('B'))),
    ]);
    expect(fake.values(name).sort()).toEqual([value('A'), value('B')]);
    expect(
      (await first.listRecords(fake.domain, { name })).map((record) => [record.value, record.ttl]).sort(),
    ).toEqual([
      [value('A'), 1],
      [value('B'), 1],
    ]);
  });

  it('publishes at the delegating name too, sends a served value only once, and refuses a third while two are in use', async () => {
    fake = await startFakeAcmeDns();
    const accounts = accountsFor(fake, ['example.test']);
    const subdomain = accounts['example.test']!.subdomain;
    const dns = provider(fake, accounts);
    // The solver publishes at _acme-challenge.example.test when it did not follow the CNAME: same account.
    await dns.createRecord('example.test', txt('_acme-challenge', value('A')));
    await dns.createRecord(fake.domain, txt(subdomain, value('A')));
    await dns.createRecord('example.test', txt('_acme-challenge', value('B')));
    expect(fake.count('update')).toBe(2);
    const third = await certkeeperRejection(
      dns.createRecord('example.test', txt('_acme-challenge', value('C'))),
    );
    expect([third.code, third.retryable, third.message.includes('two most recent values')]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    // Cleanup cannot delete; it frees the slot, and the next value pushes out the older one.
    expect(await dns.deleteRecord('example.test', txt('_acme-challenge', value('A')))).toBe(false);
    await dns.createRecord('example.test', txt('_acme-challenge', value('C')));
    expect(fake.values(subdomain).sort()).toEqual([value('B'), value('C')]);
  });

  it('maps a wrong key to DNS_PROVIDER_UNAUTHORIZED without it, a name without an account to DNS_ZONE_NOT_FOUND', async () => {
    fake = await startFakeAcmeDns();
    const accounts = accountsFor(fake, ['example.test']);
    const key = 'k'.repeat(40);
    const wrong = { 'example.test': { ...accounts['example.test']!, password: key } };
    const error = await certkeeperRejection(
      provider(fake, wrong).createRecord('example.test', txt('_acme-challenge', value('A'))),
    );
    expect([error.code, error.message.includes('HTTP 401: forbidden')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${error.message} ${error.hint}`).not.toContain(key);
    const none = await certkeeperRejection(
      provider(fake, accounts).createRecord('other.test', txt('_acme-challenge', value('A'))),
    );
    expect([none.code, none.hint?.includes('certkeeper acme-dns register')]).toEqual([
      ErrorCodes.DNS_ZONE_NOT_FOUND,
      true,
    ]);
    const notDns01 = await certkeeperRejection(
      provider(fake, accounts).createRecord('example.test', txt('_acme-challenge', 'short')),
    );
    expect([notDns01.retryable, notDns01.message.includes('43 base64url')]).toEqual([false, true]);
  });

  it('reads the register command’s file, lists the acme-dns domain as a zone, and refuses a broken file', async () => {
    fake = await startFakeAcmeDns({ domain: 'auth.example.net' });
    const accounts = accountsFor(fake, ['example.test', '*.wild.test']);
    const created = await acmeDnsPlugin.create({ apiUrl: fake.apiUrl, accounts: JSON.stringify(accounts) });
    expect(isZoneLister(created) && (await created.listZones())).toEqual(['auth.example.net']);
    await expect(async () =>
      acmeDnsPlugin.create({ apiUrl: fake.apiUrl, accounts: '{"example.test": {}}' }),
    ).rejects.toThrow(/the account for "example.test" has no username/);
    await expect(async () =>
      acmeDnsPlugin.create({ apiUrl: fake.apiUrl, accounts: 'not json' }),
    ).rejects.toThrow(/not valid JSON/);
  });
});
