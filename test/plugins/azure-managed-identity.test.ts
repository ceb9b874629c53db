// Managed identity through IMDS. MSAL chooses the managed-identity source once per process (a static), so the App
// Service endpoint has its own file (azure-app-service-identity.test.ts).
import { ErrorCodes, SecretRedactor } from '@certkeeper/core';
import { azureDns } from '@certkeeper/dns-azure';
import { type FakeAzureDns, startFakeAzureDns } from '@certkeeper/testkit/fakes/azure-dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string) => ({ name: '_acme-challenge', type: 'TXT' as const, value, ttl: 60 });

describe('azure provider with a managed identity from IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST → the fake)', () => {
  let fake: FakeAzureDns;
  const saved = { ...process.env };
  beforeAll(async () => {
    fake = await startFakeAzureDns();
    fake.addZone('dns-rg', zone);
    for (const name of [
      'IDENTITY_ENDPOINT',
      'IDENTITY_HEADER',
      'MSI_ENDPOINT',
      'AZURE_CLIENT_SECRET',
      'AZURE_CLIENT_ID',
    ])
      delete process.env[name];
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fake.imdsHost;
  });
  afterAll(async () => {
    process.env = saved;
    await fake?.stop();
  });

  const provider = (clientId?: string) =>
    azureDns({
      subscriptionId: fake.subscriptionId,
      armEndpoint: fake.armEndpoint,
      agent: fake.agent,
      redactor: new SecretRedactor(),
      ...(clientId ? { clientId } : {}),
    });

  it('signs in as the system-assigned identity without a secret, and a user-assigned one by its client id', async () => {
    await provider().createRecord(zone, txt('system'));
    expect(fake.count('imds.token')).toBe(1);
    expect(fake.count('aad.token')).toBe(0);
    const writer = fake.addUserAssignedIdentity();
    await provider(writer.clientId).createRecord(zone, txt('user-assigned'));
    expect(fake.count('imds.token')).toBe(2);
    const values = fake.recordSets('dns-rg', zone)[0]!.txtRecords.map((record) => record.value.join(''));
    expect(values).toEqual(['system', 'user-assigned']);
  });

  it('reports an identity holding only Reader as DNS_PROVIDER_UNAUTHORIZED', async () => {
    const reader = fake.addUserAssignedIdentity({ readOnly: true });
    const refused = await certkeeperRejection(provider(reader.clientId).createRecord(zone, txt('x')));
    expect([refused.code, refused.message.includes('AuthorizationFailed')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
  });
});
