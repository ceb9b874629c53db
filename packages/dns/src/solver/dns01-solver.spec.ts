import { CertkeeperError, type ChallengeTask, ErrorCodes } from '@certkeeper/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { FixtureRecord } from '../__fixtures__/static-dns-server.js';
import { startTwoNameservers, type TwoNameservers } from '../__fixtures__/two-nameservers.js';
import { absoluteName } from '../names/dns-name.js';
import type { DnsProvider } from '../provider/dns-provider.js';
import { InMemoryDnsProvider } from '../providers/in-memory-provider.js';
import type { Dns01ReceiptData } from './dns01-receipt.js';
import { Dns01Solver } from './dns01-solver.js';

const zone = 'example.test';
const names = [
  'example.test',
  '*.example.test',
  'www.example.test',
  'api.example.test',
  'deep.a.b.example.test',
];
const tasks: ChallengeTask[] = names.map((name, index) => ({
  identifier: { type: 'dns', value: name.replace(/^\*\./, '') },
  wildcard: name.startsWith('*.'),
  type: 'dns-01',
  token: `token-${index}`,
  keyAuthorization: `token-${index}.thumb`,
  dnsTxtValue: `digest-${index}`,
  authorizationUrl: `https://ca.test/authz/${index}`,
}));

let servers: TwoNameservers | undefined;
afterEach(async () => {
  await servers?.close();
  servers = undefined;
});

function served(provider: InMemoryDnsProvider): () => FixtureRecord[] {
  return () =>
    provider
      .snapshot(zone)
      .map((record) => ({ name: absoluteName(record.name, zone), type: 'TXT', data: record.value }));
}

async function setup(provider: InMemoryDnsProvider, exposed: DnsProvider = provider) {
  servers = await startTwoNameservers([zone], served(provider));
  return new Dns01Solver({
    provider: exposed,
    discovery: servers.discovery,
    propagation: { initialIntervalMs: 200, timeoutMs: 60_000 },
  });
}

/** The same provider without the optional capabilities, to exercise the one-record-at-a-time path. */
function basic(provider: InMemoryDnsProvider): DnsProvider {
  return {
    createRecord: (z, r, o) => provider.createRecord(z, r, o),
    deleteRecord: (z, r, o) => provider.deleteRecord(z, r, o),
    listRecords: (z, f, o) => provider.listRecords(z, f, o),
  };
}

describe('Dns01Solver', () => {
  it('publishes every record of an order in one batch, waits once, and cleans up exactly its records', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    await provider.createRecord(zone, {
      name: '_acme-challenge.www',
      type: 'TXT',
      value: 'someone-else',
      ttl: 300,
    });
    const solver = await setup(provider);
    const receipts = await solver.publish(tasks, {});
    expect(provider.calls.filter((call) => call.operation === 'applyChanges')).toHaveLength(1);
    expect(receipts.map((receipt) => (receipt.data as Dns01ReceiptData).name)).toEqual([
      '_acme-challenge',
      '_acme-challenge',
      '_acme-challenge.www',
      '_acme-challenge.api',
      '_acme-challenge.deep.a.b',
    ]);
    expect(receipts[0]!.data).toMatchObject({
      zone,
      fqdn: '_acme-challenge.example.test',
      ttl: 60,
      value: 'digest-0',
    });

    const pending = await solver.checkReady(receipts, {});
    expect(pending.ready).toBe(false);
    expect(!pending.ready && pending.detail).toContain('ns2.example.test');

    servers!.secondary = served(provider)();
    expect(await solver.checkReady(receipts, {})).toEqual({ ready: true });

    await solver.cleanup(receipts, {});
    expect(await provider.listRecords(zone)).toEqual([
      { name: '_acme-challenge.www', type: 'TXT', value: 'someone-else', ttl: 300 },
    ]);
  });

  it("answers dns-account-01 (when enabled) at each account's own name beside dns-01, in one batch and one check", async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    const solver = await setup(provider);
    expect(solver.types).toEqual(['dns-01']);
    const accountSolver = new Dns01Solver({
      provider,
      discovery: servers!.discovery,
      propagation: { initialIntervalMs: 200, timeoutMs: 60_000 },
      dnsAccount01: true,
    });
    expect(accountSolver.types).toEqual(['dns-account-01', 'dns-01']);
    const account = (label: string, task: ChallengeTask): ChallengeTask => ({
      ...task,
      type: 'dns-account-01',
      dnsAccountLabel: label,
      authorizationUrl: `${task.authorizationUrl}/${label}`,
    });
    // Two accounts' apex + wildcard, and one plain dns-01 task, in one order's publish call.
    const mixed = [
      account('aaaaaaaaaaaaaaaa', tasks[0]!),
      account('aaaaaaaaaaaaaaaa', tasks[1]!),
      account('bbbbbbbbbbbbbbbb', tasks[0]!),
      tasks[2]!,
    ];
    const receipts = await accountSolver.publish(mixed, {});
    expect(provider.calls.filter((call) => call.operation === 'applyChanges')).toHaveLength(1);
    expect(receipts.map((receipt) => [receipt.type, (receipt.data as Dns01ReceiptData).fqdn])).toEqual([
      ['dns-account-01', '_aaaaaaaaaaaaaaaa._acme-challenge.example.test'],
      ['dns-account-01', '_aaaaaaaaaaaaaaaa._acme-challenge.example.test'],
      ['dns-account-01', '_bbbbbbbbbbbbbbbb._acme-challenge.example.test'],
      ['dns-01', '_acme-challenge.www.example.test'],
    ]);
    servers!.secondary = served(provider)();
    expect(await accountSolver.checkReady(receipts, {})).toEqual({ ready: true });
    // Cleaning up one account's records leaves the other account's record alone.
    await accountSolver.cleanup(receipts.slice(0, 2), {});
    expect((await provider.listRecords(zone)).map((record) => record.name).sort()).toEqual([
      '_acme-challenge.www',
      '_bbbbbbbbbbbbbbbb._acme-challenge',
    ]);
    // A solver without dns-account-01 refuses such tasks, naming the option.
    const refused = await solver.publish([mixed[0]!], {}).catch((error: unknown) => error);
    expect(CertkeeperError.isInstance(refused) && refused.hint).toContain('dnsAccount01: true');
  });

  it('creates records concurrently when the provider cannot batch, and publishing twice changes nothing', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone], latencyMs: 20 });
    // Concurrency is read off the provider (how many creations overlapped), not off a stopwatch.
    const create = provider.createRecord.bind(provider);
    let inFlight = 0;
    let peak = 0;
    provider.createRecord = async (...args: Parameters<typeof create>) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await create(...args);
      } finally {
        inFlight--;
      }
    };
    const solver = await setup(provider, basic(provider));
    await solver.publish(tasks, {});
    expect(peak).toBe(tasks.length);
    await solver.publish(tasks, {});
    expect(provider.snapshot(zone)).toHaveLength(tasks.length);
    expect(provider.snapshot(zone).filter((record) => record.name === '_acme-challenge')).toHaveLength(2);
  });

  it('deletes what it created when one creation fails midway, then throws a typed error', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    provider.injectFailure({
      operation: 'createRecord',
      kind: 'permanent',
      match: (record) => record.value === 'digest-3',
    });
    const solver = await setup(provider, basic(provider));
    const error = await solver.publish(tasks, {}).catch((caught: unknown) => caught);
    expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect((error as Error).message).toContain('every record of this call was deleted again');
    expect(provider.snapshot(zone)).toEqual([]);
  });

  it('leaves nothing behind when a batch fails', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    provider.injectFailure({ operation: 'applyChanges', kind: 'transient', times: 10 });
    const solver = await setup(provider);
    const error = await solver.publish(tasks, {}).catch((caught: unknown) => caught);
    expect((error as CertkeeperError).retryable).toBe(true);
    expect(provider.snapshot(zone)).toEqual([]);
  });

  it('cleanup tolerates records that are already gone', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    const solver = await setup(provider, basic(provider));
    const receipts = await solver.publish(tasks, {});
    await provider.deleteRecord(zone, { name: '_acme-challenge', type: 'TXT', value: 'digest-0', ttl: 60 });
    await solver.cleanup(receipts, {});
    await solver.cleanup(receipts, {});
    expect(provider.snapshot(zone)).toEqual([]);
  });

  it('reports failure once the propagation deadline has passed', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    servers = await startTwoNameservers([zone], served(provider));
    const solver = new Dns01Solver({
      provider,
      discovery: servers.discovery,
      propagation: { timeoutMs: 1000 },
      now: () => new Date(Date.now() - 5000),
    });
    const receipts = await solver.publish(tasks.slice(0, 1), {});
    const result = await solver.checkReady(receipts, {});
    expect(result).toMatchObject({ ready: false, failed: true });
    expect(!result.ready && result.detail).toMatch(/ns2\.example\.test .* \(answered NXDOMAIN\)/);
  });

  it('refuses IP identifiers and tasks without a TXT value', async () => {
    const provider = new InMemoryDnsProvider({ zones: [zone] });
    const solver = await setup(provider);
    expect(solver.supports({ type: 'ip', value: '192.0.2.1' })).toBe(false);
    const { dnsTxtValue: _omitted, ...withoutValue } = tasks[0]!;
    const error = await solver.publish([withoutValue], {}).catch((caught: unknown) => caught);
    expect((error as CertkeeperError).code).toBe(ErrorCodes.INVALID_OPTION);
    expect(provider.calls).toEqual([]);
  });
});
