import { linode } from '@certkeeper/dns-linode';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeLinode, startFakeLinode } from '@certkeeper/testkit/fakes/linode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through the Linode provider (fake API mirrored into challtestsrv with a delay)', () => {
  let pebble: PebbleHandle;
  let fake: FakeLinode;
  beforeAll(async () => {
    pebble = await startPebble();
    // Linode's nameservers serve a change some time after the API accepted it.
    fake = await startFakeLinode({ mirror: pebble.challtestsrv, propagationDelayMs: 1500 });
    fake.addDomain('example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, waiting for propagation, then removes every record', async () => {
    const names = ['li.example.test', '*.li.example.test', 'a.li.example.test', 'b.li.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      linode({ apiToken: fake.token, baseUrl: fake.baseUrl }),
      names,
      {
        propagation: { initialIntervalMs: 250, maxIntervalMs: 500 },
        beforeOrder: () => fake.resetRequests(),
      },
    );
    expect(elapsedMs).toBeGreaterThan(1500); // the solver waited for the nameservers, it did not answer early
    expect(fake.records('example.test')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.li.example.test')).toEqual([]);
    const calls = {
      domainsList: fake.count('domains.list'),
      recordsList: fake.count('records.list'),
      recordsCreate: fake.count('records.create'),
      recordsDelete: fake.count('records.delete'),
    };
    // Discovery lists the domains once (keeping their ids), then per value one records listing (is it there
    // already?) and one POST, and one DELETE by the id the POST returned.
    expect(calls).toEqual({ domainsList: 1, recordsList: 4, recordsCreate: 4, recordsDelete: 4 });
    printApiCalls('linode', names, calls, elapsedMs);
  });
});
