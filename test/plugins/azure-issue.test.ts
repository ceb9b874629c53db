import { SecretRedactor } from '@certkeeper/core';
import { azureDns } from '@certkeeper/dns-azure';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { type FakeAzureDns, startFakeAzureDns } from '@certkeeper/testkit/fakes/azure-dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { issueThroughProvider, printApiCalls } from './support/provider-issuance.js';

describe('issuing from Pebble through the Azure DNS provider (fake ARM and Entra ID mirrored into challtestsrv)', () => {
  let pebble: PebbleHandle;
  let fake: FakeAzureDns;
  beforeAll(async () => {
    pebble = await startPebble();
    fake = await startFakeAzureDns({ mirror: pebble.challtestsrv, propagationDelayMs: 200 });
    fake.addZone('dns-rg', 'example.test');
  });
  afterAll(async () => {
    await fake?.stop();
    await pebble?.stop();
  });

  it('issues for an apex, its wildcard and two more names, then removes every record', async () => {
    const names = ['az.example.test', '*.az.example.test', 'a.az.example.test', 'b.az.example.test'];
    const { elapsedMs } = await issueThroughProvider(
      pebble,
      azureDns({
        subscriptionId: fake.subscriptionId,
        tenantId: fake.tenantId,
        clientId: fake.app.clientId,
        clientSecret: fake.app.clientSecret,
        armEndpoint: fake.armEndpoint,
        authorityHost: fake.authorityHost,
        agent: fake.agent,
        redactor: new SecretRedactor(),
      }),
      names,
      { beforeOrder: () => fake.resetRequests() },
    );
    expect(fake.recordSets('dns-rg', 'example.test')).toEqual([]);
    await fake.settled();
    expect(await servedTxt(pebble.dnsPort, '_acme-challenge.az.example.test')).toEqual([]);
    const calls = {
      aadOpenId: fake.count('aad.openid'),
      aadToken: fake.count('aad.token'),
      zonesList: fake.count('zones.list'),
      recordSetsGet: fake.count('recordsets.get'),
      recordSetsPut: fake.count('recordsets.put'),
      recordSetsDelete: fake.count('recordsets.delete'),
      preconditionFailed: fake.requests.filter((request) => request.status === 412).length,
    };
    // One sign-in (configuration + token); zones listed once; per value a read and a conditional write to add it,
    // a read and a conditional write (PUT keeping the other value, or DELETE of the last) to remove it.
    expect(calls).toMatchObject({ aadOpenId: 1, aadToken: 1, zonesList: 1 });
    expect(calls.recordSetsPut + calls.recordSetsDelete).toBe(8 + calls.preconditionFailed);
    expect(calls.recordSetsGet).toBe(8 + calls.preconditionFailed);
    expect(calls.recordSetsDelete).toBe(3);
    printApiCalls('azure', names, calls, elapsedMs);
  });
});
