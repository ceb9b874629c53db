// End to end: Pebble's validation authority resolves through pdns-server (startPebble's dnsServer), so the dns-01
// records it sees are the ones the PowerDNS plugin wrote through the HTTP API — challtestsrv holds none.
import { parseCertificate } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { powerdns } from '@certkeeper/dns-powerdns';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueFromPebble } from '../support/issue-from-pebble.js';
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
    const names = [zone, `*.${zone}`, `www.${zone}`];
    const { certificatePem, state: final, elapsedMs } = await issueFromPebble(pebble, names, [solver]);
    expect([...parseCertificate(certificatePem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    expect(await provider.listRecords(zone)).toEqual([]);
    console.log(JSON.stringify({ figure: 'issuance via powerdns API (3 names)', elapsed_ms: elapsedMs }));
  });
});
