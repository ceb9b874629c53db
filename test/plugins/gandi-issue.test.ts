import { gandi } from '@certkeeper/dns-gandi';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeGandi, startFakeGandi } from '@certkeeper/testkit/fakes/gandi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through the Gandi LiveDNS provider (fake API mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeGandi;
  beforeAll(async () => {
    pebble = await startPebble();
    fake = await startFakeGandi({ mirror: pebble.challtestsrv, propagationDelayMs: 500 });
    fake.addDomain('example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const names = ['gd.example.test', '*.gd.example.test', 'a.gd.example.test', 'b.gd.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      gandi({ apiToken: fake.token, baseUrl: fake.baseUrl }),
      names,
      {
        propagation: { initialIntervalMs: 250, maxIntervalMs: 500 },
        beforeOrder: () => fake.resetRequests(),
      },
    );
    expect(fake.rrsets('example.test')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.gd.example.test')).toEqual([]);
    const calls = {
      domainsList: fake.count('domains.list'),
      domainsGet: fake.count('domains.get'),
      recordsGet: fake.count('records.get'),
      recordsPut: fake.count('records.put'),
      recordsDelete: fake.count('records.delete'),
    };
    // Discovery lists the domains once; each value is a read + a PUT to add; cleanup reads and PUTs the rest back,
    // or deletes the set with its last value (3 sets).
    expect(calls).toEqual({ domainsList: 1, domainsGet: 0, recordsGet: 8, recordsPut: 5, recordsDelete: 3 });
    printApiCalls('gandi', names, calls, elapsedMs);
  });
});
