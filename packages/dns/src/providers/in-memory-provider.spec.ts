import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../provider/dns-record.js';
import { InMemoryDnsProvider } from './in-memory-provider.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge'): DnsRecord => ({ name, type: 'TXT', value, ttl: 60 });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return CertkeeperError.isInstance(error) ? error.code : undefined;
}

describe('InMemoryDnsProvider', () => {
  it('retries a transient failure and succeeds, recording each attempt', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    provider.injectFailure({ operation: 'createRecord', kind: 'transient', times: 2 });
    await provider.createRecord(zone, txt('a'));
    expect(provider.calls.filter((call) => call.operation === 'createRecord')).toHaveLength(3);
    expect(await provider.listRecords(zone)).toEqual([txt('a')]);
  });

  it('gives up on a permanent failure at once with DNS_PROVIDER_FAILED', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    provider.injectFailure({
      operation: 'createRecord',
      kind: 'permanent',
      match: (record) => record.value === 'b',
    });
    await provider.createRecord(zone, txt('a'));
    expect(await codeOf(provider.createRecord(zone, txt('b')))).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(provider.calls.filter((call) => call.records[0]?.value === 'b')).toHaveLength(1);
  });

  it('applies a batch atomically: a failing batch changes nothing', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    provider.injectFailure({
      operation: 'applyChanges',
      kind: 'permanent',
      match: (record) => record.value === 'c',
    });
    const failed = provider.applyChanges(zone, { create: [txt('a'), txt('b'), txt('c')], delete: [] });
    expect(await codeOf(failed)).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(await provider.listRecords(zone)).toEqual([]);
  });

  it('raises TTLs to its minimum and reports the stored TTL', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone], minTtl: 300 });
    expect((await provider.createRecord(zone, txt('a'))).ttl).toBe(300);
  });

  it('rejects invalid records before storing anything', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    expect(
      await codeOf(provider.createRecord(zone, { ...txt('a'), name: '_acme-challenge.example.test.' })),
    ).toBe(ErrorCodes.INVALID_OPTION);
    expect(await codeOf(provider.createRecord(zone, txt('x'.repeat(256))))).toBe(ErrorCodes.INVALID_OPTION);
    expect(await provider.listRecords(zone)).toEqual([]);
  });
});
