// Managed identity through the App Service / Functions endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER). Its own file:
// MSAL chooses the managed-identity source once per process.
import { SecretRedactor } from '@certkeeper/core';
import { azureDns } from '@certkeeper/dns-azure';
import { type FakeAzureDns, startFakeAzureDns } from '@certkeeper/testkit/fakes/azure-dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('azure provider with a managed identity from App Service (IDENTITY_ENDPOINT → the fake)', () => {
  let fake: FakeAzureDns;
  const saved = { ...process.env };
  beforeAll(async () => {
    fake = await startFakeAzureDns();
    fake.addZone('dns-rg', 'example.test');
    for (const name of [
      'AZURE_POD_IDENTITY_AUTHORITY_HOST',
      'MSI_ENDPOINT',
      'AZURE_CLIENT_SECRET',
      'AZURE_CLIENT_ID',
    ])
      delete process.env[name];
    process.env.IDENTITY_ENDPOINT = fake.identityEndpoint;
    process.env.IDENTITY_HEADER = fake.identityHeader;
  });
  afterAll(async () => {
    process.env = saved;
    await fake?.stop();
  });

  it('gets its token from the endpoint with the identity header and writes with it', async () => {
    const dns = azureDns({
      subscriptionId: fake.subscriptionId,
      armEndpoint: fake.armEndpoint,
      agent: fake.agent,
      redactor: new SecretRedactor(),
    });
    await dns.createRecord('example.test', {
      name: '_acme-challenge',
      type: 'TXT',
      value: 'app-service',
      ttl: 60,
    });
    expect(
      await dns.deleteRecord('example.test', {
        name: '_acme-challenge',
        type: 'TXT',
        value: 'app-service',
        ttl: 60,
      }),
    ).toBe(true);
    expect([fake.count('appservice.token'), fake.count('imds.token'), fake.count('aad.token')]).toEqual([
      1, 0, 0,
    ]);
    expect(fake.recordSets('dns-rg', 'example.test')).toEqual([]);
  });
});
