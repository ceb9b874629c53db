import { desec } from '@certkeeper/dns-desec';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { DESEC_RATES, type FakeDesec, startFakeDesec } from '@certkeeper/testkit/fakes/desec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through the deSEC provider (fake API mirrored into challtestsrv with a delay)', () => {
  let pebble: PebbleHandle;
  let fake: FakeDesec;
  beforeAll(async () => {
    pebble = await startPebble();
    // deSEC's real rate limits, and nameservers that serve a change 1.5 s after the API accepted it.
    fake = await startFakeDesec({
      mirror: pebble.challtestsrv,
      propagationDelayMs: 1500,
      writeRates: DESEC_RATES.write,
      readRates: DESEC_RATES.read,
    });
    fake.addDomain('example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, waiting for propagation, then removes every record', async () => {
    const names = ['ds.example.test', '*.ds.example.test', 'a.ds.example.test', 'b.ds.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      desec({ apiToken: fake.token, baseUrl: fake.baseUrl }),
      names,
      {
        propagation: { initialIntervalMs: 250, maxIntervalMs: 500 },
        beforeOrder: () => fake.resetRequests(),
      },
    );
    expect(elapsedMs).toBeGreaterThan(1500); // the solver waited for the nameservers, it did not answer early
    expect(fake.rrsets('example.test')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.ds.example.test')).toEqual([]);
    const calls = {
      domainsList: fake.count('domains.list'),
      domainsGet: fake.count('domains.get'),
      rrsetsGet: fake.count('rrsets.get'),
      bulkPatch: fake.count('rrsets.bulk_patch'),
      throttled: fake.requests.filter((request) => request.status === 429).length,
    };
    // Discovery lists the domains once; publishing reads the 3 RRsets and writes them in one bulk PATCH; cleanup
    // does the same: 2 writes per order, well within deSEC's 15 writes per minute per domain.
    expect(calls).toEqual({ domainsList: 1, domainsGet: 0, rrsetsGet: 6, bulkPatch: 2, throttled: 0 });
    printApiCalls('desec', names, calls, elapsedMs);
  });
});
