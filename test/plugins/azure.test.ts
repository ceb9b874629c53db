import { ErrorCodes, SecretRedactor } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type AzureDnsOptions, azureDns, azureDnsPlugin } from '@certkeeper/dns-azure';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeAzureDns, startFakeAzureDns } from '@certkeeper/testkit/fakes/azure-dns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeAzureDns, options: AzureDnsOptions = {}) =>
  azureDns({
    subscriptionId: fake.subscriptionId,
    tenantId: fake.tenantId,
    clientId: fake.app.clientId,
    clientSecret: fake.app.clientSecret,
    armEndpoint: fake.armEndpoint,
    authorityHost: fake.authorityHost,
    agent: fake.agent,
    redactor: new SecretRedactor(),
    ...options,
  });

let shared: FakeAzureDns;
beforeAll(async () => {
  // Pages of 1: zone and record-set listings cross nextLink pages.
  shared = await startFakeAzureDns({ maxPerPage: 1, latencyMs: 2 });
  shared.addZone('dns-rg', 'other.test');
  shared.addZone('dns-rg', zone);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance('azure (fake Resource Manager and Entra ID over TLS, pages of 1)', () => ({
  provider: provider(shared),
  zone,
  withBadCredentials: () => provider(shared, { clientSecret: 'abc~not-the-secret-of-this-app' }),
  secondInstance: () => provider(shared),
}));

describe('azure provider against the fake', () => {
  let fake: FakeAzureDns;
  afterEach(() => fake?.stop());

  it('merges values into one record set and keeps the others on delete, writing only on the etag it read', async () => {
    fake = await startFakeAzureDns();
    fake.addZone('dns-rg', zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('first'));
    await dns.createRecord(zone, txt('x'.repeat(255)));
    await dns.createRecord(zone, txt('first')); // idempotent: no write
    const [set] = fake.recordSets('dns-rg', zone);
    expect(set!.txtRecords).toEqual([{ value: ['first'] }, { value: ['x'.repeat(255)] }]);
    expect(fake.count('recordsets.put')).toBe(2);
    expect((await dns.listRecords(zone, { name: '_acme-challenge' })).map((record) => record.value)).toEqual([
      'first',
      'x'.repeat(255),
    ]);
    expect(await dns.deleteRecord(zone, txt('first'))).toBe(true);
    expect(fake.recordSets('dns-rg', zone)[0]!.txtRecords).toEqual([{ value: ['x'.repeat(255)] }]);
    expect(await dns.deleteRecord(zone, txt('x'.repeat(255)))).toBe(true);
    expect(fake.recordSets('dns-rg', zone)).toEqual([]);
    expect(await dns.deleteRecord(zone, txt('first'))).toBe(false);
    // Every write carried a condition: the fake logs 412 for stale ones; here none were stale.
    expect(fake.requests.filter((request) => request.status === 412)).toEqual([]);
  });

  it('redoes a write that another writer made stale (412 on If-Match) instead of overwriting it', async () => {
    fake = await startFakeAzureDns({ latencyMs: 15 });
    fake.addZone('dns-rg', zone);
    const one = provider(fake);
    const two = provider(fake);
    await Promise.all([
      ...['a', 'b', 'c'].map((value) => one.createRecord(zone, txt(value))),
      ...['d', 'e', 'f'].map((value) => two.createRecord(zone, txt(value))),
    ]);
    const values = fake.recordSets('dns-rg', zone)[0]!.txtRecords.map((record) => record.value.join(''));
    expect(values.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(fake.requests.some((request) => request.status === 412)).toBe(true);
  });

  it('finds zones in the subscription or one resource group, skips private zones, and refuses an ambiguous name', async () => {
    fake = await startFakeAzureDns({ maxPerPage: 1 });
    fake.addZone('rg-a', 'a.test');
    fake.addZone('rg-a', 'legacy-private.test', 'Private');
    fake.addZone('rg-b', zone);
    fake.addZone('rg-c', zone);
    expect((await provider(fake).listZones()).sort()).toEqual(['a.test', zone]);
    expect(fake.count('zones.list')).toBe(4);
    const ambiguous = await certkeeperRejection(provider(fake).createRecord(zone, txt('x')));
    expect([ambiguous.code, ambiguous.hint?.includes('resourceGroup')]).toEqual([
      ErrorCodes.INVALID_OPTION,
      true,
    ]);
    await provider(fake, { resourceGroup: 'rg-c' }).createRecord(zone, txt('x'));
    expect(fake.recordSets('rg-c', zone)).toHaveLength(1);
    const kept = provider(fake);
    expect((await certkeeperRejection(kept.createRecord('absent.test', txt('x')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
    // A zone created after the provider listed the zones is found: a miss lists again.
    fake.addZone('rg-a', 'absent.test');
    await kept.createRecord('absent.test', txt('x'));
    expect(fake.recordSets('rg-a', 'absent.test')).toHaveLength(1);
    expect(
      (await certkeeperRejection(provider(fake).createRecord('legacy-private.test', txt('x')))).code,
    ).toBe(ErrorCodes.DNS_ZONE_NOT_FOUND);
  });

  it('says which credential failed without the secret, and a Reader-only app is DNS_PROVIDER_UNAUTHORIZED', async () => {
    fake = await startFakeAzureDns();
    fake.addZone('dns-rg', zone);
    const redactor = new SecretRedactor();
    const wrong = 'Q8x~this-is-a-wrong-client-secret-value';
    const bad = await certkeeperRejection(provider(fake, { clientSecret: wrong, redactor }).listZones());
    expect([bad.code, bad.message.includes('AADSTS7000215')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${bad.message} ${bad.hint}`).not.toContain(wrong);
    expect(redactor.redact(`x ${wrong} y`)).not.toContain(wrong);
    const reader = fake.addApp({ readOnly: true });
    const refused = await certkeeperRejection(
      provider(fake, { clientId: reader.clientId, clientSecret: reader.clientSecret }).createRecord(
        zone,
        txt('x'),
      ),
    );
    expect([refused.code, refused.message.includes('AuthorizationFailed')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
  });

  it('waits out a short throttle, hands a long Retry-After to the caller at once, and retries a 5xx', async () => {
    fake = await startFakeAzureDns();
    fake.addZone('dns-rg', zone);
    const dns = provider(fake);
    await dns.listZones();
    fake.throttle({ retryAfterSeconds: 1, operation: 'recordsets.put' });
    await dns.createRecord(zone, txt('after-429'));
    fake.throttle({ retryAfterSeconds: 300, operation: 'recordsets.get' });
    const started = Date.now();
    const throttled = await certkeeperRejection(dns.createRecord(zone, txt('later')));
    expect([throttled.code, throttled.retryable, Date.now() - started < 2000]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    expect(throttled.retryAfter!.getTime() - started).toBeGreaterThan(250_000);
    expect(throttled.message).toContain('TooManyRequests');
    fake.injectError({ status: 503, operation: 'recordsets.put' });
    await dns.createRecord(zone, txt('after-503'));
    expect(fake.recordSets('dns-rg', zone)[0]!.txtRecords.map((record) => record.value[0])).toEqual([
      'after-429',
      'after-503',
    ]);
  });

  it('the descriptor checks its configuration and builds a provider without touching the network', async () => {
    const created = await azureDnsPlugin.create({
      subscriptionId: 's',
      tenantId: 't',
      clientId: 'c',
      clientSecret: 'secret-value-1',
      armEndpoint: 'https://127.0.0.1:9',
    });
    expect(typeof created.createRecord).toBe('function');
    await expect(async () =>
      azureDnsPlugin.create({ subscriptionId: 's', authentication: 'password' } as never),
    ).rejects.toThrow(/authentication/);
    const missing = await certkeeperRejection(
      Promise.resolve().then(() =>
        azureDns({ subscriptionId: 's', tenantId: 't', authentication: 'clientSecret' }),
      ),
    );
    expect([missing.code, missing.hint?.includes('AZURE_CLIENT_SECRET')]).toEqual([
      ErrorCodes.INVALID_OPTION,
      true,
    ]);
  });
});
