import { dnsimple } from '@certkeeper/dns-dnsimple';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeDnsimple, startFakeDnsimple } from '@certkeeper/testkit/fakes/dnsimple';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through the DNSimple provider (official SDK, fake API mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeDnsimple;
  beforeAll(async () => {
    pebble = await startPebble();
    fake = await startFakeDnsimple({ mirror: pebble.challtestsrv, propagationDelayMs: 1000 });
    fake.addZone('example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, waiting for propagation, then removes every record', async () => {
    const names = ['sim.example.test', '*.sim.example.test', 'a.sim.example.test', 'b.sim.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      dnsimple({ apiToken: fake.token, baseUrl: fake.baseUrl }),
      names,
      {
        propagation: { initialIntervalMs: 250, maxIntervalMs: 500 },
        beforeOrder: () => fake.resetRequests(),
      },
    );
    expect(elapsedMs).toBeGreaterThan(1000);
    expect(fake.records('example.test').filter((record) => record.type === 'TXT')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.sim.example.test')).toEqual([]);
    const calls = {
      whoami: fake.count('whoami'),
      zonesList: fake.count('zones.list'),
      zonesGet: fake.count('zones.get'),
      recordsList: fake.count('records.list'),
      recordsCreate: fake.count('records.create'),
      recordsDelete: fake.count('records.delete'),
    };
    // whoami once for the account, discovery lists the zones once (proving each exists), then per value one
    // filtered listing (is it there already?) and one POST, and one DELETE by the id the POST returned.
    expect(calls).toEqual({
      whoami: 1,
      zonesList: 1,
      zonesGet: 0,
      recordsList: 4,
      recordsCreate: 4,
      recordsDelete: 4,
    });
    printApiCalls('dnsimple', names, calls, elapsedMs);
  });
});
