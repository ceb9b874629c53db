// End to end: Pebble's validation authority resolves through a BIND primary (startPebble's dnsServer), so the
// dns-01 records it sees are the ones the RFC 2136 plugin wrote there — challtestsrv holds none.
import {
  AcmeClient,
  generateAccountKey,
  parseCertificate,
  prepareOrder,
  runOrder,
  runStep,
} from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { rfc2136 } from '@certkeeper/dns-rfc2136';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindPrimary, newKey, startBindPrimary } from './support/bind-primary.js';

const zone = 'rfc2136-issue.test';
const key = newKey('ck-acme', 'hmac-sha256');
let bind: BindPrimary;
let pebble: PebbleHandle;
beforeAll(async () => {
  bind = await startBindPrimary([{ name: zone, updatePolicy: [`grant ${key.name} zonesub TXT;`] }], [key]);
  pebble = await startPebble({ dnsServer: bind.address });
});
afterAll(async () => {
  await pebble?.stop();
  await bind?.stop();
});

describe('issuing from Pebble through @certkeeper/dns-rfc2136 and BIND 9', () => {
  it('publishes apex + wildcard + a name by TSIG-signed UPDATE, gets the certificate, and cleans up', async () => {
    const provider = rfc2136({ server: bind.address, tsig: { name: key.name, secret: key.secret } });
    const solver = new Dns01Solver({
      provider,
      discovery: { zones: [zone], fixedServers: [bind.address], resolvers: [bind.address] },
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
    let state = await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers: names });
    const deps = { client, solvers: [solver] };
    while (state.phase !== 'await-readiness') state = (await runStep(state, deps)).state;
    // Apex and wildcard share _acme-challenge.<zone>: two records in BIND, as the CA must see them.
    expect(await provider.listRecords(zone, { name: '_acme-challenge' })).toHaveLength(2);
    const { certificate, state: final } = await runOrder(state, deps);
    const elapsedMs = Math.round(performance.now() - started);
    expect([...parseCertificate(certificate.pem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    expect(await provider.listRecords(zone, { name: '_acme-challenge' })).toEqual([]);
    expect(await provider.listRecords(zone, { name: '_acme-challenge.www' })).toEqual([]);
    console.log(JSON.stringify({ figure: 'issuance via rfc2136 + BIND (3 names)', elapsed_ms: elapsedMs }));
    await Promise.all([client.close(), registration.close()]);
  });
});
