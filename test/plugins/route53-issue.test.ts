import { parseCertificate } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { route53 } from '@certkeeper/dns-route53';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeRoute53, startFakeRoute53 } from '@certkeeper/testkit/fakes/route53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueFromPebble, servedTxt } from '../support/issue-from-pebble.js';

describe('issuing from Pebble through the Route 53 provider (fake API mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeRoute53;
  beforeAll(async () => {
    pebble = await startPebble();
    // Only public zones are mirrored: if the provider wrote into the private zone, Pebble would see nothing.
    fake = await startFakeRoute53({ mirror: pebble.challtestsrv, changeDelayMs: 100 });
    fake.addHostedZone('example.test', { private: true, id: 'Z00000000PRIVATE' });
    fake.addHostedZone('example.test', { id: 'Z99999999PUBLIC' });
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    const dns01 = new Dns01Solver({
      provider: route53({ endpoint: fake.endpoint, credentials: fake.credentials, syncPollIntervalMs: 50 }),
      discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
    });
    const names = ['r53.example.test', '*.r53.example.test', 'a.r53.example.test', 'b.r53.example.test'];
    const {
      certificatePem,
      state: final,
      elapsedMs,
    } = await issueFromPebble(pebble, names, [dns01], {
      beforeOrder: () => fake.resetRequests(),
    });
    expect([...parseCertificate(certificatePem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    // Cleanup deleted the sets in the API and, once in sync, in DNS.
    expect(fake.recordSets('Z99999999PUBLIC').filter((set) => set.type === 'TXT')).toEqual([]);
    expect(fake.recordSets('Z00000000PRIVATE').filter((set) => set.type === 'TXT')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.r53.example.test')).toEqual([]);
    const calls = {
      ListHostedZones: fake.count('ListHostedZones'),
      ListHostedZonesByName: fake.count('ListHostedZonesByName'),
      ListResourceRecordSets: fake.count('ListResourceRecordSets'),
      ChangeResourceRecordSets: fake.count('ChangeResourceRecordSets'),
      GetChange: fake.count('GetChange'),
    };
    // Discovery lists the zones once (which also yields the ids: no by-name lookup), then one read per name and
    // one batch to publish all four values at three names, and the same to clean up.
    expect(calls).toMatchObject({
      ListHostedZones: 1,
      ListHostedZonesByName: 0,
      ListResourceRecordSets: 6,
      ChangeResourceRecordSets: 2,
    });
    console.log(
      JSON.stringify({
        figure: 'route53.issue.apiCalls',
        identifiers: names.length,
        challengeNames: 3,
        ...calls,
        elapsedMs,
      }),
    );
  });
});
