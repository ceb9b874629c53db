// End to end: Pebble's validation authority resolves through pdns-server (startPebble's dnsServer), so the dns-01
// records it sees are the ones the PowerDNS plugin wrote through the HTTP API — challtestsrv holds none.
import { AcmeClient, generateAccountKey, parseCertificate, prepareOrder, runOrder } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { powerdns } from '@certkeeper/dns-powerdns';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PdnsServer, startPdnsServer } from './support/pdns-server.js';

const zone = 'powerdns-issue.test';
let pdns: PdnsServer;
let pebble: PebbleHandle;
beforeAll(async () => {
  pdns = await startPdnsServer();
  await pdns.createZone(zone);
  pebble = await startPebble({ dnsServer: pdns.dnsAddress });
});
afterAll(async () => {
  await pebble?.stop();
  await pdns?.stop();
});

describe('issuing from Pebble through @certkeeper/dns-powerdns and pdns-server', () => {
  it('publishes apex + wildcard + a name through the API, gets the certificate, and cleans up', async () => {
    const provider = powerdns({ apiUrl: pdns.apiUrl, apiKey: pdns.apiKey });
    const solver = new Dns01Solver({
      provider,
      discovery: { zones: [zone], fixedServers: [pdns.dnsAddress], resolvers: [pdns.dnsAddress] },
      propagation: { initialIntervalMs: 100, maxIntervalMs: 500 },
    });
    const accountKey = await generateAccountKey('ES256');
    const registration = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey,
    });
    const accountUrl = (await registration.accounts.create({ contact: ['mailto:ops@example.test'] })).url;
    const client = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey,
      accountUrl,
    });
    const names = [zone, `*.${zone}`, `www.${zone}`];
    const started = performance.now();
    const state = await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers: names });
    const { certificate, state: final } = await runOrder(state, { client, solvers: [solver] });
    const elapsedMs = Math.round(performance.now() - started);
    expect([...parseCertificate(certificate.pem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    expect(await provider.listRecords(zone)).toEqual([]);
    console.log(JSON.stringify({ figure: 'issuance via powerdns API (3 names)', elapsed_ms: elapsedMs }));
    await Promise.all([client.close(), registration.close()]);
  });
});
