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

  it('maps 401 to DNS_PROVIDER_UNAUTHORIZED, 404 to DNS_ZONE_NOT_FOUND, and retries 503 and a short 429', async () => {
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
    fake.injectError({ status: 503, operation: 'present' });
    fake.injectError({ status: 429, operation: 'present', retryAfter: 0 });
    await provider(fake).createRecord(zone, txt('after'));
    expect(fake.values(`_acme-challenge.${zone}`)).toEqual(['after']);
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
