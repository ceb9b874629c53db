import { digitalocean } from '@certkeeper/dns-digitalocean';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeDigitalOcean, startFakeDigitalOcean } from '@certkeeper/testkit/fakes/digitalocean';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through the DigitalOcean provider (fake API mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeDigitalOcean;
  beforeAll(async () => {
    pebble = await startPebble();
    fake = await startFakeDigitalOcean({ mirror: pebble.challtestsrv });
    fake.addDomain('example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const names = ['do.example.test', '*.do.example.test', 'a.do.example.test', 'b.do.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      digitalocean({ apiToken: fake.token, baseUrl: fake.baseUrl }),
      names,
      {
        beforeOrder: () => fake.resetRequests(),
      },
    );
    expect(fake.records('example.test').filter((record) => record.type === 'TXT')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.do.example.test')).toEqual([]);
    const calls = {
      domainsList: fake.count('domains.list'),
      domainsGet: fake.count('domains.get'),
      recordsList: fake.count('records.list'),
      recordsCreate: fake.count('records.create'),
      recordsDelete: fake.count('records.delete'),
    };
    // Discovery lists the domains once (the provider's listZones; it also proves each exists), then per value one
    // listing (is it there already?) and one POST, and one DELETE by the id the POST returned.
    expect(calls).toEqual({
      domainsList: 1,
      domainsGet: 0,
      recordsList: 4,
      recordsCreate: 4,
      recordsDelete: 4,
    });
    printApiCalls('digitalocean', names, calls, elapsedMs);
  });
});
