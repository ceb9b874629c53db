import { googleCloudDns } from '@certkeeper/dns-google-cloud';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeGoogleCloudDns, startFakeGoogleCloudDns } from '@certkeeper/testkit/fakes/google-cloud-dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through the Google Cloud DNS provider (fake API mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeGoogleCloudDns;
  beforeAll(async () => {
    pebble = await startPebble();
    // Changes stay pending 300 ms and reach challtestsrv only then, like Google's servers lagging its API.
    fake = await startFakeGoogleCloudDns({ mirror: pebble.challtestsrv, changeDelayMs: 300 });
    fake.addZone('example-test', 'example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const names = ['gc.example.test', '*.gc.example.test', 'a.gc.example.test', 'b.gc.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      googleCloudDns({ serviceAccountKey: fake.serviceAccountKey, baseUrl: fake.baseUrl, changePollMs: 100 }),
      names,
      { beforeOrder: () => fake.resetRequests() },
    );
    expect(fake.rrsets('example-test').filter((set) => set.type === 'TXT')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.gc.example.test')).toEqual([]);
    const calls = {
      oauthToken: fake.count('oauth.token'),
      zonesList: fake.count('zones.list'),
      rrsetsList: fake.count('rrsets.list'),
      changesCreate: fake.count('changes.create'),
      changesGet: fake.count('changes.get'),
    };
    // One token; discovery lists the zones once; the order's values go in one change (applyChanges) after one read
    // per challenge name (3: the apex and its wildcard share one), and go out the same way; each change polled.
    expect(calls).toMatchObject({ oauthToken: 1, zonesList: 1, rrsetsList: 6, changesCreate: 2 });
    expect(calls.changesGet).toBeGreaterThanOrEqual(2);
    printApiCalls('google-cloud', names, calls, elapsedMs);
  });
});
