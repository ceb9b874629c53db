import { AcmeClient, generateAccountKey, parseCertificate, prepareOrder, runOrder } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { cloudflare } from '@certkeeper/dns-cloudflare';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeCloudflare, startFakeCloudflare } from '@certkeeper/testkit/fakes/cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** TXT values challtestsrv serves at a name: what Pebble's VA sees. */
async function served(pebble: PebbleHandle, name: string): Promise<string[]> {
  const { Resolver } = await import('node:dns/promises');
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${pebble.dnsPort}`]);
  return resolver.resolveTxt(name).then(
    (records) => records.map((chunks) => chunks.join('')).sort(),
    () => [],
  );
}

describe('issuing from Pebble through the Cloudflare provider (fake API mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeCloudflare;
  let zoneId: string;
  const clients: AcmeClient[] = [];
  beforeAll(async () => {
    pebble = await startPebble();
    fake = await startFakeCloudflare({ mirror: pebble.challtestsrv });
    zoneId = fake.addZone('example.test').id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const accountKey = await generateAccountKey('ES256');
    const client = (accountUrl?: string) => {
      const made = new AcmeClient({
        directoryUrl: pebble.directoryUrl,
        caBundle: pebble.caBundlePem,
        accountKey,
        ...(accountUrl ? { accountUrl } : {}),
      });
      clients.push(made);
      return made;
    };
    const accountUrl = (await client().accounts.create({ contact: ['mailto:ops@example.test'] })).url;
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    const dns01 = new Dns01Solver({
      provider: cloudflare({ apiToken: fake.token, baseUrl: fake.baseUrl }),
      discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
    });
    const names = ['cf.example.test', '*.cf.example.test', 'a.cf.example.test', 'b.cf.example.test'];
    const state = await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers: names });
    fake.resetRequests();
    const started = Date.now();
    const { certificate, state: final } = await runOrder(state, {
      client: client(accountUrl),
      solvers: [dns01],
    });
    const elapsedMs = Date.now() - started;
    expect([...parseCertificate(certificate.pem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    expect(fake.records(zoneId)).toEqual([]);
    await fake.settled();
    expect(await served(pebble, '_acme-challenge.cf.example.test')).toEqual([]);
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
