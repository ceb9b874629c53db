import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { InMemoryDnsProvider } from '../providers/in-memory-provider.js';
import { DnsProviderToken, isChangeBatcher, isZoneLister } from './dns-provider.js';
import { defineDnsProviderPlugin } from './plugin-descriptor.js';
import { providerFailed, providerUnauthorized } from './provider-errors.js';
import { withProviderRetry } from './provider-retry.js';

describe('provider port helpers', () => {
  it('exposes a namespaced, process-wide DI token', () => {
    expect(DnsProviderToken).toBe(Symbol.for('certkeeper.DnsProvider'));
  });

  it('detects optional capabilities at run time', () => {
    const provider = new InMemoryDnsProvider({ zones: ['example.test'] });
    expect(isZoneLister(provider) && isChangeBatcher(provider)).toBe(true);
    const basic = {
      createRecord: provider.createRecord,
      deleteRecord: provider.deleteRecord,
      listRecords: provider.listRecords,
    };
    expect(isZoneLister(basic) || isChangeBatcher(basic)).toBe(false);
  });

  it('retries retryable failures, waiting at least the Retry-After the provider gave', async () => {
    let attempts = 0;
    const started = Date.now();
    const result = await withProviderRetry(
      async () => {
        attempts += 1;
        if (attempts === 1)
          throw providerFailed('test', 'create', 'HTTP 429', { retryAfter: new Date(Date.now() + 150) });
        return 'done';
      },
      { baseDelayMs: 1 },
    );
    expect(result).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('hands a Retry-After longer than maxDelayMs to the caller at once instead of retrying early', async () => {
    let attempts = 0;
    const started = Date.now();
    const error = await withProviderRetry(
      async () => {
        attempts += 1;
        throw providerFailed('test', 'create', 'HTTP 429', { retryAfter: new Date(Date.now() + 60_000) });
      },
      { baseDelayMs: 1, maxDelayMs: 1000 },
    ).catch((caught: unknown) => caught);
    expect([attempts, Date.now() - started < 500]).toEqual([1, true]);
    expect(CertkeeperError.isInstance(error) && error.retryAfter!.getTime() - Date.now()).toBeGreaterThan(
      50_000,
    );
  });

  it('does not retry credentials errors and never puts the secret in the message', async () => {
    let attempts = 0;
    const error = await withProviderRetry(async () => {
      attempts += 1;
      throw providerUnauthorized('test', 'example.test', 'HTTP 403');
    }).catch((caught: unknown) => caught);
    expect(attempts).toBe(1);
    expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect((error as Error).message).toContain('zone "example.test"');
  });

  it('rejects a plugin descriptor with a bad name or version when it is defined', () => {
    const create = () => new InMemoryDnsProvider({ zones: [] });
    const schema = { type: 'object' as const, properties: {} };
    expect(
      defineDnsProviderPlugin({ name: 'route53', version: '1.2.3', configSchema: schema, create }).name,
    ).toBe('route53');
    expect(() =>
      defineDnsProviderPlugin({ name: 'Route 53', version: '1.2.3', configSchema: schema, create }),
    ).toThrow(/invalid name, version/);
    const about = { service: 'Route 53', auth: '' };
    expect(() =>
      defineDnsProviderPlugin({ name: 'route53', version: '1.2.3', configSchema: schema, create, about }),
    ).toThrow(/or about/);
  });
});
