import { ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type HttpreqOptions, httpreq, httpreqPlugin } from '@certkeeper/dns-httpreq';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeHttpreq, startFakeHttpreq } from '@certkeeper/testkit/fakes/httpreq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const credentials = { username: 'certkeeper', password: 'webhook-password-that-must-not-leak' };
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeHttpreq, options: Partial<HttpreqOptions> = {}) =>
  httpreq({ endpoint: fake.endpoint, ...credentials, list: true, ...options });

let shared: FakeHttpreq;
beforeAll(async () => {
  shared = await startFakeHttpreq({ zones: [zone], basicAuth: credentials, latencyMs: 2 });
});
afterAll(() => shared?.stop());

describeDnsProviderConformance('httpreq (reference webhook with the list extension, basic auth)', () => ({
  provider: provider(shared),
  zone,
  expectedTtl: () => 120, // the server's TTL: lego's protocol carries none
  withBadCredentials: () => provider(shared, { password: 'wrong' }),
  secondInstance: () => provider(shared),
}));

describe('httpreq provider against a webhook', () => {
  let fake: FakeHttpreq;
  afterEach(() => fake?.stop());

  it('sends exactly what lego sends: {fqdn with a trailing dot, value} to /present and /cleanup, with basic auth', async () => {
    fake = await startFakeHttpreq({ zones: [zone], basicAuth: credentials });
    const dns = httpreq({ endpoint: fake.endpoint, ...credentials });
    await dns.createRecord(zone, txt('apex-value'));
    await dns.createRecord(zone, txt('root', '@'));
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(true); // without list: after a successful cleanup
    expect(fake.bodies).toEqual([
      { operation: 'present', body: { fqdn: '_acme-challenge.example.test.', value: 'apex-value' } },
      { operation: 'present', body: { fqdn: 'example.test.', value: 'root' } },
      { operation: 'cleanup', body: { fqdn: '_acme-challenge.example.test.', value: 'apex-value' } },
    ]);
    expect(fake.values('example.test')).toEqual(['root']);
    const noList = await certkeeperRejection(dns.listRecords(zone));
    expect([noList.code, noList.message.includes('list: true')]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
    ]);
  });

  it('maps 401 to DNS_PROVIDER_UNAUTHORIZED and 404 to DNS_ZONE_NOT_FOUND; retries a 429, and a 503 only where repeating is safe', async () => {
    fake = await startFakeHttpreq({ zones: [zone], basicAuth: credentials });
    const bad = await certkeeperRejection(provider(fake, { password: 'wrong' }).createRecord(zone, txt('x')));
    expect([bad.code, bad.message.includes('HTTP 401: unauthorized')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${bad.message} ${bad.hint} ${JSON.stringify(bad)}`).not.toContain(credentials.password);
    expect((await certkeeperRejection(provider(fake).createRecord('elsewhere.test', txt('x')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
    // A refusal (429) is retried; a present that met a 503 may have been applied and is left to the caller's retry.
    fake.injectError({ status: 429, operation: 'present', retryAfter: 0 });
    await provider(fake).createRecord(zone, txt('after'));
    expect(fake.values(`_acme-challenge.${zone}`)).toEqual(['after']);
    fake.injectError({ status: 503, operation: 'present' });
    const before = fake.count('present');
    const unavailable = await certkeeperRejection(provider(fake).createRecord(zone, txt('later')));
    expect([unavailable.retryable, fake.count('present') - before]).toEqual([true, 1]);
    fake.injectError({ status: 503, operation: 'cleanup' });
    await provider(fake).deleteRecord(zone, txt('after')); // cleanup is idempotent: retried at once
    expect(fake.values(`_acme-challenge.${zone}`)).toEqual([]);
  });

  it('refuses an endpoint with credentials in it, half a basic-auth pair, and an unknown option', async () => {
    expect(() => httpreq({ endpoint: 'https://user:secret@dns.example/hooks' })).toThrow(
      /must not contain credentials/,
    );
    expect(() => httpreq({ endpoint: 'https://dns.example/hooks', username: 'u' })).toThrow(/given together/);
    await expect(async () =>
      httpreqPlugin.create({ endpoint: 'https://dns.example', mode: 'RAW' } as never),
    ).rejects.toThrow(/"mode" must be one of endpoint/);
  });
});
