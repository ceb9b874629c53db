import { ovh } from '@certkeeper/dns-ovh';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeOvh, startFakeOvh, zoneRules } from '@certkeeper/testkit/fakes/ovh';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';
import { trustTestCa } from './support/trust-test-ca.js';

describe('issuing from Pebble through the OVHcloud provider (official SDK, HTTPS fake served only after zone refresh)', () => {
  let pebble: PebbleHandle;
  let fake: FakeOvh;
  beforeAll(async () => {
    pebble = await startPebble();
    // The least-privilege access rules the README documents, a server clock 10 minutes ahead, and nameservers
    // that serve a refreshed zone 1 s later.
    fake = await startFakeOvh({
      mirror: pebble.challtestsrv,
      propagationDelayMs: 1000,
      clockSkewSeconds: 600,
      rules: zoneRules('example.test'),
    });
    trustTestCa(fake.caCertificatePem);
    fake.addZone('example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const names = ['ovh.example.test', '*.ovh.example.test', 'a.ovh.example.test', 'b.ovh.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      ovh({
        applicationKey: fake.applicationKey,
        applicationSecret: fake.applicationSecret,
        consumerKey: fake.consumerKey,
        baseUrl: fake.baseUrl,
      }),
      names,
      {
        propagation: { initialIntervalMs: 250, maxIntervalMs: 500 },
        beforeOrder: () => fake.resetRequests(),
      },
    );
    expect(elapsedMs).toBeGreaterThan(1000);
    expect(fake.records('example.test').filter((record) => record.fieldType === 'TXT')).toEqual([]);
    expect(fake.pending('example.test')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.ovh.example.test')).toEqual([]);
    const calls = {
      authTime: fake.count('auth.time'),
      zonesList: fake.count('zones.list'),
      recordsList: fake.count('records.list'),
      recordsGet: fake.count('records.get'),
      recordsCreate: fake.count('records.create'),
      recordsDelete: fake.count('records.delete'),
      zoneRefresh: fake.count('zone.refresh'),
    };
    // The server clock once, the zones once (discovery), per value one id listing (is it there already? — empty, so
    // no record reads) and one POST, one DELETE by id; refreshes after creates and deletes, coalesced per zone.
    expect(calls).toMatchObject({
      authTime: 1,
      zonesList: 1,
      recordsList: 4,
      recordsGet: 0,
      recordsCreate: 4,
      recordsDelete: 4,
    });
    expect(calls.zoneRefresh).toBeGreaterThanOrEqual(2);
    expect(calls.zoneRefresh).toBeLessThanOrEqual(8);
    printApiCalls('ovh', names, calls, elapsedMs);
  });
});
