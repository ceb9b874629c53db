import { parseCertificate } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { cloudflare } from '@certkeeper/dns-cloudflare';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeCloudflare, startFakeCloudflare } from '@certkeeper/testkit/fakes/cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueFromPebble, servedTxt } from '../support/issue-from-pebble.js';

describe('issuing from Pebble through the Cloudflare provider (fake API mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeCloudflare;
  let zoneId: string;
  beforeAll(async () => {
    pebble = await startPebble();
    fake = await startFakeCloudflare({ mirror: pebble.challtestsrv });
    zoneId = fake.addZone('example.test').id;
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    const dns01 = new Dns01Solver({
      provider: cloudflare({ apiToken: fake.token, baseUrl: fake.baseUrl }),
      discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
    });
    const names = ['cf.example.test', '*.cf.example.test', 'a.cf.example.test', 'b.cf.example.test'];
    const {
      certificatePem,
      state: final,
      elapsedMs,
    } = await issueFromPebble(pebble, names, [dns01], {
      beforeOrder: () => fake.resetRequests(),
    });
    expect([...parseCertificate(certificatePem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    expect(fake.records(zoneId)).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.cf.example.test')).toEqual([]);
    const calls = {
      zonesList: fake.count('zones.list'),
      recordsCreate: fake.count('dns_records.create'),
      recordsList: fake.count('dns_records.list'),
      recordsDelete: fake.count('dns_records.delete'),
    };
    // One zone listing (discovery; it also yields the id), one POST per value, one DELETE per value (by the id
    // the POST returned: no listing).
    expect(calls).toMatchObject({ zonesList: 1, recordsCreate: 4, recordsList: 0, recordsDelete: 4 });
    console.log(
      JSON.stringify({
        figure: 'cloudflare.issue.apiCalls',
        identifiers: names.length,
        challengeNames: 3,
        ...calls,
        elapsedMs,
      }),
    );
  });
});
