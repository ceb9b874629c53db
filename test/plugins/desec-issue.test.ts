import { parseCertificate } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { desec } from '@certkeeper/dns-desec';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { DESEC_RATES, type FakeDesec, startFakeDesec } from '@certkeeper/testkit/fakes/desec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueFromPebble, servedTxt } from '../support/issue-from-pebble.js';

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
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    const dns01 = new Dns01Solver({
      provider: desec({ apiToken: fake.token, baseUrl: fake.baseUrl }),
      discovery: { fixedServers: [dnsServer], resolvers: [dnsServer] },
      propagation: { initialIntervalMs: 250, maxIntervalMs: 500 },
    });
    const names = ['ds.example.test', '*.ds.example.test', 'a.ds.example.test', 'b.ds.example.test'];
    const {
      certificatePem,
      state: final,
      elapsedMs,
    } = await issueFromPebble(pebble, names, [dns01], {
      beforeOrder: () => fake.resetRequests(),
    });
    expect([...parseCertificate(certificatePem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
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
    console.log(
      JSON.stringify({
        figure: 'desec.issue.apiCalls',
        identifiers: names.length,
        challengeNames: 3,
        ...calls,
        elapsedMs,
      }),
    );
  });
});
