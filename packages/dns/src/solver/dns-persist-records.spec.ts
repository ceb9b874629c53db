import { type ChallengeTask, dnsPersistRecordValue } from '@certkeeper/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { FixtureRecord } from '../__fixtures__/static-dns-server.js';
import { startTwoNameservers, type TwoNameservers } from '../__fixtures__/two-nameservers.js';
import { absoluteName } from '../names/dns-name.js';
import { InMemoryDnsProvider } from '../providers/in-memory-provider.js';
import { DnsPersistRecords } from './dns-persist-records.js';
import { Dns01Solver } from './dns01-solver.js';

const zone = 'example.test';
const accountUri = 'https://ca.test/acct/7';
const issuerDomainNames = ['ca.test'];

let servers: TwoNameservers | undefined;
afterEach(async () => {
  await servers?.close();
  servers = undefined;
});

const served = (provider: InMemoryDnsProvider) => (): FixtureRecord[] =>
  provider
    .snapshot(zone)
    .map((record) => ({ name: absoluteName(record.name, zone), type: 'TXT', data: record.value }));

async function setup() {
  const provider = new InMemoryDnsProvider({ zones: [zone] });
  servers = await startTwoNameservers([zone], served(provider));
  const solver = new Dns01Solver({
    provider,
    discovery: servers.discovery,
    propagation: { initialIntervalMs: 50, timeoutMs: 2_000 },
    dnsPersist01: true,
  });
  return { provider, solver, records: new DnsPersistRecords(solver) };
}

const persistTask = (name: string, wildcard: boolean, index: number): ChallengeTask => ({
  identifier: { type: 'dns', value: name },
  wildcard,
  type: 'dns-persist-01',
  token: '',
  keyAuthorization: '',
  dnsPersist: { issuerDomainNames, accountUri },
  authorizationUrl: `https://ca.test/authz/${index}`,
});

describe('dns-persist-01 through the dns-01 machinery', () => {
  it('publishes once, replacing an older value of the same CA and account, and waits for every server', async () => {
    const { provider, records } = await setup();
    const old = dnsPersistRecordValue({
      issuerDomainName: 'ca.test',
      accountUri,
      persistUntil: new Date(1e12),
    });
    const otherAccount = dnsPersistRecordValue({ issuerDomainName: 'ca.test', accountUri: `${accountUri}0` });
    await provider.createRecord(zone, { name: '_validation-persist', type: 'TXT', value: old, ttl: 60 });
    await provider.createRecord(zone, {
      name: '_validation-persist',
      type: 'TXT',
      value: otherAccount,
      ttl: 60,
    });
    const value = dnsPersistRecordValue({ issuerDomainName: 'ca.test', accountUri, wildcard: true });
    const publishing = records.publish([{ name: 'example.test', value }]);
    // ns2 lags until it is given the zone's records: publish keeps checking until it has them.
    setTimeout(() => {
      servers!.secondary = served(provider)();
    }, 300);
    const publication = await publishing;
    expect(publication.result.status).toBe('ready');
    expect(publication.created.map(({ record }) => record.value)).toEqual([value]);
    expect(publication.replaced.map(({ record }) => record.value)).toEqual([old]);
    expect(
      provider
        .snapshot(zone)
        .map((record) => record.value)
        .sort(),
    ).toEqual([otherAccount, value].sort());
    // Publishing the same value again writes nothing.
    const writes = provider.calls.length;
    const again = await records.publish([{ name: 'example.test', value }]);
    expect(again).toMatchObject({ created: [], replaced: [], unchanged: 1 });
    expect(provider.calls.slice(writes).filter((call) => call.operation !== 'listRecords')).toEqual([]);
  });

  it('answers dns-persist-01 writing nothing, ready only when every server has an authorizing record', async () => {
    const { provider, solver } = await setup();
    expect(solver.types).toEqual(['dns-persist-01', 'dns-01']);
    const tasks = [persistTask('example.test', false, 0), persistTask('example.test', true, 1)];
    const receipts = await solver.publish(tasks, {});
    expect(receipts.map((receipt) => receipt.type)).toEqual(['dns-persist-01', 'dns-persist-01']);
    expect(provider.calls).toEqual([]);

    // No record anywhere: not ready, failed at once (a setup problem, not lag), naming both servers.
    const missing = await solver.checkReady(receipts, {});
    expect(missing).toMatchObject({ ready: false, failed: true });
    const detail = missing.ready ? '' : missing.detail;
    expect(detail).toContain('ns1.example.test');
    expect(detail).toContain('ns2.example.test');
    expect(detail).toContain('_validation-persist.example.test');

    // A record without policy=wildcard authorizes the apex but not the wildcard.
    const plain = dnsPersistRecordValue({ issuerDomainName: 'ca.test', accountUri });
    await provider.createRecord(zone, { name: '_validation-persist', type: 'TXT', value: plain, ttl: 60 });
    servers!.secondary = served(provider)();
    expect(await solver.checkReady(receipts.slice(0, 1), {})).toEqual({ ready: true });
    expect((await solver.checkReady(receipts, {})).ready).toBe(false);

    // With policy=wildcard on ns1 only, ns2 still lacks it.
    const wildcard = dnsPersistRecordValue({ issuerDomainName: 'ca.test', accountUri, wildcard: true });
    await provider.createRecord(zone, { name: '_validation-persist', type: 'TXT', value: wildcard, ttl: 60 });
    const lagging = await solver.checkReady(receipts, {});
    expect(lagging.ready ? '' : lagging.detail).toMatch(/ns2\.example\.test[^;]*has 1 of 2/);
    expect(lagging.ready ? '' : lagging.detail).not.toMatch(/ns1\.example\.test/);
    servers!.secondary = served(provider)();
    expect(await solver.checkReady(receipts, {})).toEqual({ ready: true });

    // Cleanup leaves the standing record alone.
    const before = provider.snapshot(zone);
    await solver.cleanup(receipts, {});
    expect(provider.snapshot(zone)).toEqual(before);
  });

  it('does not count a record whose persistUntil has passed', async () => {
    const { provider, solver, records } = await setup();
    const expired = dnsPersistRecordValue({
      issuerDomainName: 'ca.test',
      accountUri,
      persistUntil: new Date(Date.now() - 60_000),
    });
    await provider.createRecord(zone, { name: '_validation-persist', type: 'TXT', value: expired, ttl: 60 });
    servers!.secondary = served(provider)();
    const result = await records.check([
      { name: 'example.test', wildcard: false, issuerDomainNames, accountUri },
    ]);
    expect(result.status).not.toBe('ready');
    const receipts = await solver.publish([persistTask('example.test', false, 0)], {});
    const readiness = await solver.checkReady(receipts, {});
    expect(readiness).toMatchObject({ ready: false, failed: true });
    // The message shows what the servers returned, so the stale persistUntil is visible.
    expect(readiness.ready ? '' : readiness.detail).toContain(expired);
  });

  it('asks again, without failing, while a server does not answer', async () => {
    const { provider } = await setup();
    const solver = new Dns01Solver({
      provider,
      discovery: { ...servers!.discovery, transportOptions: { timeoutMs: 300 } },
      propagation: { initialIntervalMs: 50, timeoutMs: 60_000 },
      dnsPersist01: true,
    });
    const value = dnsPersistRecordValue({ issuerDomainName: 'ca.test', accountUri });
    await provider.createRecord(zone, { name: '_validation-persist', type: 'TXT', value, ttl: 60 });
    const receipts = await solver.publish([persistTask('example.test', false, 0)], {});
    // ns2 stops answering (closed once here; the fixture's close must not close it again).
    const ns2 = servers!.ns2;
    await ns2.close();
    ns2.close = async () => {};
    const silent = await solver.checkReady(receipts, {});
    expect(silent).toMatchObject({ ready: false });
    expect('failed' in silent && silent.failed).toBeFalsy();
    expect(silent.ready ? '' : silent.detail).toContain('ns2.example.test');
  });
});
