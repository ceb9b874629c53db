import { acmeDns } from '@certkeeper/dns-acme-dns';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeAcmeDns, startFakeAcmeDns } from '@certkeeper/testkit/fakes/acme-dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through acme-dns (CNAME delegation; the fake mirrors its values into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeAcmeDns;
  beforeAll(async () => {
    pebble = await startPebble();
    fake = await startFakeAcmeDns({ mirror: pebble.challtestsrv });
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, each _acme-challenge a CNAME into acme-dns', async () => {
    const domains = ['ad.example.test', 'a.ad.example.test', 'b.ad.example.test'];
    const accounts = Object.fromEntries(domains.map((domain) => [domain, fake.register()]));
    // What the user does once per domain after `certkeeper acme-dns register`: create the CNAME it prints.
    for (const domain of domains)
      await pebble.challtestsrv.setCname(`_acme-challenge.${domain}`, accounts[domain]!.fulldomain);
    const provider = acmeDns({
      apiUrl: fake.apiUrl,
      dnsServer: fake.dnsServer,
      accounts: JSON.stringify(accounts),
    });
    const names = ['ad.example.test', '*.ad.example.test', 'a.ad.example.test', 'b.ad.example.test'];
    // The user's zone is known (challtestsrv has no SOA records); the acme-dns zone comes from the provider.
    const { elapsedMs } = await issueThroughProvider(pebble, provider, names, {
      zones: ['example.test'],
      beforeOrder: () => fake.resetRequests(),
    });
    // The apex and the wildcard share one subdomain: both values are its two rows.
    expect(fake.values(accounts['ad.example.test']!.subdomain)).toHaveLength(2);
    await fake.settled();
    const calls = {
      register: fake.count('register'),
      update: fake.count('update'),
      dnsReads: fake.dnsQueries(),
    };
    // One DNS read of the served values before each update (never send a value twice), one update per value;
    // cleanup costs nothing (acme-dns cannot delete).
    expect(calls).toEqual({ register: 0, update: 4, dnsReads: 4 });
    printApiCalls('acme-dns', names, calls, elapsedMs);
  });
});
