import { ErrorCodes, SecretRedactor } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type OvhOptions, ovh, ovhPlugin } from '@certkeeper/dns-ovh';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeOvh, type FakeOvhOptions, startFakeOvh, zoneRules } from '@certkeeper/testkit/fakes/ovh';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';
import { trustTestCa } from './support/trust-test-ca.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeOvh, options: OvhOptions = {}) =>
  ovh({
    applicationKey: fake.applicationKey,
    applicationSecret: fake.applicationSecret,
    consumerKey: fake.consumerKey,
    baseUrl: fake.baseUrl,
    ...options,
  });

async function started(options: FakeOvhOptions = {}): Promise<FakeOvh> {
  const fake = await startFakeOvh(options);
  trustTestCa(fake.caCertificatePem);
  fake.addZone(zone);
  return fake;
}

let shared: FakeOvh;
beforeAll(async () => {
  shared = await started({ latencyMs: 2, rules: zoneRules(zone) });
});
afterAll(() => shared?.stop());

describeDnsProviderConformance(
  'ovh (fake OVHcloud API over HTTPS through the official SDK, least-privilege rules)',
  () => ({
    provider: provider(shared),
    zone,
    expectedTtl: (requested) => Math.max(60, requested),
    withBadCredentials: () => provider(shared, { consumerKey: 'not-a-consumer-key' }),
    secondInstance: () => provider(shared),
  }),
);

describe('ovh provider against the fake', () => {
  let fake: FakeOvh;
  afterEach(() => fake?.stop());

  it('signs against the server clock, writes subDomain + target, decodes quoted targets and refreshes the zone', async () => {
    fake = await started({ clockSkewSeconds: 3600 }); // an hour off: only /auth/time makes the signature valid
    const dns = provider(fake);
    await dns.createRecord(zone, txt('apex-value'));
    await dns.createRecord(zone, txt('root "quoted"', '@'));
    const stored = fake.records(zone).filter((record) => record.fieldType === 'TXT');
    expect(stored.map((record) => [record.subDomain, record.target, record.ttl])).toEqual([
      ['_acme-challenge', '"apex-value"', 60],
      ['', '"root \\"quoted\\""', 60],
    ]);
    expect(fake.pending(zone)).toEqual([]); // every change was followed by a refresh
    expect([fake.count('auth.time'), fake.count('zone.refresh')]).toEqual([1, 2]);
    expect(await dns.listRecords(zone, { name: '@' })).toEqual([
      { name: '@', type: 'TXT', value: 'root "quoted"', ttl: 60 },
    ]);
    fake.resetRequests();
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(true);
    expect(fake.requests.map((request) => request.operation)).toEqual(['records.delete', 'zone.refresh']);
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(false);
    expect(fake.pending(zone)).toEqual([]);
  });

  it('coalesces the refreshes of concurrent changes in one zone', async () => {
    fake = await started({ latencyMs: 20 });
    const dns = provider(fake);
    await dns.listRecords(zone);
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((value) => dns.createRecord(zone, txt(value))));
    expect(fake.pending(zone)).toEqual([]);
    expect(fake.count('records.create')).toBe(6);
    expect(fake.count('zone.refresh')).toBeLessThanOrEqual(3);
  });

  it('refreshes again when it finds its value already there (an earlier attempt may have stopped before refreshing)', async () => {
    fake = await started();
    const dns = provider(fake);
    await dns.createRecord(zone, txt('kept'));
    fake.resetRequests();
    await provider(fake).createRecord(zone, txt('kept'));
    expect(fake.count('records.create')).toBe(0);
    expect(fake.count('zone.refresh')).toBe(1);
  });

  it('reports a wrong secret, an unknown consumer key and an ungranted call as DNS_PROVIDER_UNAUTHORIZED without the secrets', async () => {
    fake = await started({ rules: zoneRules('other.test') });
    const secret = 'wrong-application-secret-must-not-leak';
    const signature = await certkeeperRejection(
      provider(fake, { applicationSecret: secret }).createRecord(zone, txt('x')),
    );
    expect([signature.code, signature.message.includes('Invalid signature')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${signature.message} ${signature.hint}`).not.toContain(secret);
    const unknown = await certkeeperRejection(provider(fake, { consumerKey: 'nope' }).listZones());
    expect([unknown.code, unknown.message.includes('This credential does not exist')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    const ungranted = await certkeeperRejection(provider(fake).createRecord(zone, txt('x')));
    expect([ungranted.code, ungranted.message.includes('has not been granted')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(fake.records(zone).filter((record) => record.fieldType === 'TXT')).toEqual([]);
  });

  it('registers every credential with the redactor given', async () => {
    fake = await started();
    const redactor = new SecretRedactor();
    provider(fake, { redactor });
    const text = redactor.redact(`${fake.applicationKey} ${fake.applicationSecret} ${fake.consumerKey}`);
    for (const secret of [fake.applicationKey, fake.applicationSecret, fake.consumerKey])
      expect(text).not.toContain(secret);
  });

  it('retries a refused or failed read, never repeats a create that met a 5xx, and gives up on a lasting 429 as retryable', async () => {
    fake = await started();
    const dns = provider(fake);
    await dns.listRecords(zone);
    fake.injectError({ status: 503, operation: 'records.create' });
    const unavailable = await certkeeperRejection(dns.createRecord(zone, txt('after-503')));
    expect([unavailable.code, unavailable.retryable, fake.count('records.create')]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      1,
    ]);
    fake.injectError({ status: 503, operation: 'records.list' });
    await dns.createRecord(zone, txt('after-503'));
    expect(fake.records(zone).filter((record) => record.target === '"after-503"')).toHaveLength(1);
    fake.rateLimit(5);
    const limited = await certkeeperRejection(dns.listRecords(zone));
    expect([limited.code, limited.retryable, limited.message.includes('Too many requests')]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
  });

  it('bounds each call in time and stops waiting when cancelled, though the SDK itself cannot be cancelled', async () => {
    fake = await started({ latencyMs: 400 });
    const slow = await certkeeperRejection(provider(fake, { timeoutMs: 100 }).listZones());
    expect([slow.code, slow.retryable, slow.message.includes('no answer within 100 ms')]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    const controller = new AbortController();
    const pending = certkeeperRejection(provider(fake).listZones({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const startedAt = Date.now();
    const cancelled = await pending;
    expect([cancelled.code, cancelled.retryable, cancelled.message.includes('cancelled')]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      false,
      true,
    ]);
    expect(Date.now() - startedAt).toBeLessThan(350);
  });

  it('lists the zones and says DNS_ZONE_NOT_FOUND for a zone the account lacks', async () => {
    fake = await started();
    fake.addZone('b.test');
    const dns = provider(fake);
    expect((await dns.listZones()).sort()).toEqual(['b.test', zone]);
    expect((await certkeeperRejection(dns.createRecord('other.test', txt('x')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
  });

  it('the descriptor checks its configuration and builds a provider without touching the network', async () => {
    const credentials = { applicationKey: 'ak', applicationSecret: 'as', consumerKey: 'ck' };
    const created = await ovhPlugin.create({ ...credentials, endpoint: 'ovh-ca' });
    expect(typeof created.createRecord).toBe('function');
    await expect(async () =>
      ovhPlugin.create({ ...credentials, endpoint: 'ovh-asia' } as never),
    ).rejects.toThrow(/endpoint/);
    await expect(async () =>
      ovhPlugin.create({ ...credentials, baseUrl: 'http://127.0.0.1:9/1.0' }),
    ).rejects.toThrow(/https/);
    await expect(async () => ovhPlugin.create({ applicationKey: 'ak' })).rejects.toThrow(
      /applicationSecret, consumerKey/,
    );
  });
});
