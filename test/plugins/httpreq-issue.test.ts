import { parseCertificate } from '@certkeeper/core';
import { HttpreqRawSolver, httpreq } from '@certkeeper/dns-httpreq';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeHttpreq, startFakeHttpreq } from '@certkeeper/testkit/fakes/httpreq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueFromPebble, servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

const credentials = { username: 'certkeeper', password: 'webhook-password' };

describe('issuing from Pebble through an httpreq webhook (mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeHttpreq;
  beforeAll(async () => {
    pebble = await startPebble();
  });
  afterAll(async () => {
    await pebble?.stop();
  });
  afterEach(() => fake?.stop());

  it('default mode: issues for an apex, its wildcard and two more names, then removes every record', async () => {
    fake = await startFakeHttpreq({
      zones: ['example.test'],
      basicAuth: credentials,
      mirror: pebble.challtestsrv,
    });
    const names = ['hr.example.test', '*.hr.example.test', 'a.hr.example.test', 'b.hr.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      httpreq({ endpoint: fake.endpoint, ...credentials }),
      names,
      {
        zones: ['example.test'],
        beforeOrder: () => fake.resetRequests(),
      },
    );
    expect(fake.values('_acme-challenge.hr.example.test')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.hr.example.test')).toEqual([]);
    const calls = {
      present: fake.count('present'),
      cleanup: fake.count('cleanup'),
      list: fake.count('list'),
    };
    expect(calls).toEqual({ present: 4, cleanup: 4, list: 0 });
    printApiCalls('httpreq', names, calls, elapsedMs);
  });

  it('RAW mode: the webhook gets {domain, token, keyAuth} (*. for the wildcard) and computes the value', async () => {
    fake = await startFakeHttpreq({ zones: ['example.test'], mode: 'raw', mirror: pebble.challtestsrv });
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    const solver = new HttpreqRawSolver({
      endpoint: fake.endpoint,
      discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
    });
    const names = ['raw.example.test', '*.raw.example.test'];
    const { certificatePem } = await issueFromPebble(pebble, names, [solver]);
    expect([...parseCertificate(certificatePem).names].sort()).toEqual([...names].sort());
    const presented = fake.bodies
      .filter((entry) => entry.operation === 'present')
      .map((entry) => entry.body as Record<string, string>);
    expect(presented.map((body) => body.domain).sort()).toEqual(['*.raw.example.test', 'raw.example.test']);
    for (const body of presented) expect(body.keyAuth?.startsWith(`${body.token}.`)).toBe(true);
    expect(fake.count('cleanup')).toBe(2);
    expect(fake.values('_acme-challenge.raw.example.test')).toEqual([]);
  });
});
