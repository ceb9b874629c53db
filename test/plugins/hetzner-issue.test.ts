import { hetzner } from '@certkeeper/dns-hetzner';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeHetzner, startFakeHetzner } from '@certkeeper/testkit/fakes/hetzner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through the Hetzner provider (fake Cloud API mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeHetzner;
  beforeAll(async () => {
    pebble = await startPebble();
    fake = await startFakeHetzner({ mirror: pebble.challtestsrv, actionDelayMs: 50 });
    fake.addZone('example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const names = ['hz.example.test', '*.hz.example.test', 'a.hz.example.test', 'b.hz.example.test'];
    const provider = hetzner({ apiToken: fake.token, baseUrl: fake.baseUrl, actionPollIntervalMs: 50 });
    const { elapsedMs } = await issueThroughProvider(pebble, provider, names, {
      beforeOrder: () => fake.resetRequests(),
    });
    await fake.settled();
    expect(fake.rrsets('example.test').filter((set) => set.type === 'TXT')).toEqual([]);
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.hz.example.test')).toEqual([]);
    const calls = {
      zonesList: fake.count('zones.list'),
      zonesGet: fake.count('zones.get'),
      rrsetsGet: fake.count('rrsets.get'),
      addRecords: fake.count('rrsets.add_records'),
      removeRecords: fake.count('rrsets.remove_records'),
      actionsGet: fake.count('actions.get'),
    };
    // Discovery lists the zones once; per value one RRset read and one action to add, the same to remove, and one
    // poll per action (actions take 50 ms here, the first poll comes after 50 ms).
    expect(calls).toMatchObject({ zonesList: 1, zonesGet: 0, rrsetsGet: 8, addRecords: 4, removeRecords: 4 });
    expect(calls.actionsGet).toBeGreaterThanOrEqual(8);
    printApiCalls('hetzner', names, calls, elapsedMs);
  });
});
