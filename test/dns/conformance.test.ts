import { ChalltestsrvDnsProvider, type DnsRecord, InMemoryDnsProvider, KeyedMutex } from '@certkeeper/dns';
import {
  describeDnsProviderConformance,
  runDnsProviderConformance,
} from '@certkeeper/testkit/dns-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindServers, startBindServers } from './support/bind-servers.js';
import { type Challtestsrv, startChalltestsrv } from './support/challtestsrv.js';
import { NsupdateTestProvider } from './support/nsupdate-provider.js';

// The reference provider passes the kit, which proves the kit passable (libdns's "double entry").
describeDnsProviderConformance('in-memory', () => {
  const provider = new InMemoryDnsProvider({ zones: ['example.test'], latencyMs: 2 });
  return {
    provider,
    zone: 'example.test',
    withBadCredentials: () =>
      new InMemoryDnsProvider({
        zones: ['example.test'],
        credentials: 'wrong',
        acceptedCredentials: 'right',
      }),
    secondInstance: () => provider.twin(),
  };
});

let challtestsrv: Challtestsrv;
describe('challtestsrv', () => {
  beforeAll(async () => {
    challtestsrv = await startChalltestsrv();
  });
  afterAll(async () => {
    await challtestsrv?.stop();
  });
  describeDnsProviderConformance(
    'challtestsrv',
    () => ({
      provider: new ChalltestsrvDnsProvider({
        managementUrl: challtestsrv.managementUrl,
        dnsServer: challtestsrv.dnsAddress,
        zones: ['example.test'],
      }),
      zone: 'example.test',
      // challtestsrv serves every TXT record with TTL 0, whatever was asked.
      expectedTtl: () => 0,
    }),
    {
      notApplicable: {
        badCredentials: 'the management API has no credentials',
        twoInstances:
          'challtestsrv can only clear a name and add values back, so a delete is a read-modify-write with no guard',
      },
    },
  );
});

let bind: BindServers;
describe('BIND via nsupdate (TSIG)', () => {
  beforeAll(async () => {
    bind = await startBindServers();
  });
  afterAll(async () => {
    await bind?.stop();
  });
  const provider = (secret?: string) =>
    new NsupdateTestProvider(
      { host: bind.addresses.primary.v4, port: 53 },
      secret ? { ...bind.updateKey, secret } : bind.updateKey,
    );
  describeDnsProviderConformance('bind-nsupdate', () => ({
    provider: provider(),
    zone: 'prop.test',
    withBadCredentials: () => provider(Buffer.alloc(32, 1).toString('base64')),
    secondInstance: () => provider(),
  }));
});

describe('the conformance kit itself', () => {
  it('catches a provider that clobbers the first value when a second is added (Route 53 UPSERT style)', async () => {
    const clobbering = new InMemoryDnsProvider({ zones: ['example.test'] });
    const broken = {
      listRecords: clobbering.listRecords.bind(clobbering),
      deleteRecord: clobbering.deleteRecord.bind(clobbering),
      async createRecord(zone: string, record: Parameters<InMemoryDnsProvider['createRecord']>[1]) {
        for (const existing of await clobbering.listRecords(zone, { name: record.name })) {
          await clobbering.deleteRecord(zone, existing);
        }
        return clobbering.createRecord(zone, record);
      },
    };
    const outcomes = await runDnsProviderConformance(() => ({ provider: broken, zone: 'example.test' }), {
      notApplicable: { badCredentials: 'not under test', twoInstances: 'not under test' },
    });
    const failed = outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.id);
    expect(failed).toEqual(['two-values', 'delete-one-keeps-other', 'wildcard-base-name']);
  });

  it('catches a provider that loses concurrent updates (read the value set, write it back, no lock)', async () => {
    const sets = new Map<string, Set<string>>();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const racy = {
      async listRecords(_zone: string, filter: { name?: string } = {}) {
        return [...(sets.get(filter.name ?? '') ?? [])].map((value) => ({
          name: filter.name!,
          type: 'TXT' as const,
          value,
          ttl: 120,
        }));
      },
      async createRecord(zone: string, record: { name: string; type: 'TXT'; value: string; ttl: number }) {
        if (zone !== 'example.test') throw new Error('no zone');
        const current = new Set(sets.get(record.name) ?? []);
        await pause();
        sets.set(record.name, current.add(record.value));
        return record;
      },
      async deleteRecord(_zone: string, record: { name: string; value: string }) {
        const current = new Set(sets.get(record.name) ?? []);
        await pause();
        const removed = current.delete(record.value);
        sets.set(record.name, current);
        return removed;
      },
    };
    const outcomes = await runDnsProviderConformance(() => ({ provider: racy, zone: 'example.test' }), {
      notApplicable: { badCredentials: 'not under test', twoInstances: 'not under test' },
    });
    const failed = outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.id);
    expect(failed).toContain('concurrent-creates');
    expect(failed).not.toContain('two-values');
  });

  it('catches a provider that is safe within one instance only (a per-instance lock around read-modify-write)', async () => {
    const sets = new Map<string, Set<string>>();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    // Like a record-set API driven under a lock held in memory: two instances (two processes) share the service
    // but not the lock.
    const lockedInstance = () => {
      const lock = new KeyedMutex();
      const write = (name: string, change: (values: Set<string>) => boolean) =>
        lock.run(name, async () => {
          const current = new Set(sets.get(name) ?? []);
          await pause();
          const changed = change(current);
          sets.set(name, current);
          return changed;
        });
      return {
        async listRecords(_zone: string, filter: { name?: string } = {}): Promise<DnsRecord[]> {
          return [...(sets.get(filter.name ?? '') ?? [])].map((value) => ({
            name: filter.name!,
            type: 'TXT' as const,
            value,
            ttl: 120,
          }));
        },
        async createRecord(_zone: string, record: DnsRecord) {
          await write(record.name, (values) => values.add(record.value).size > 0);
          return record;
        },
        deleteRecord: (_zone: string, record: DnsRecord) =>
          write(record.name, (values) => values.delete(record.value)),
      };
    };
    const outcomes = await runDnsProviderConformance(
      () => ({ provider: lockedInstance(), zone: 'example.test', secondInstance: lockedInstance }),
      { notApplicable: { badCredentials: 'not under test' } },
    );
    const failed = outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.id);
    expect(failed).toContain('two-instances');
    expect(failed).not.toContain('concurrent-creates');
  });

  it('fails the two-instance case when no second instance is given and none is declared not applicable', async () => {
    const outcomes = await runDnsProviderConformance(
      () => ({ provider: new InMemoryDnsProvider({ zones: ['example.test'] }), zone: 'example.test' }),
      { notApplicable: { badCredentials: 'not under test' } },
    );
    const twoInstances = outcomes.find((outcome) => outcome.id === 'two-instances');
    expect(twoInstances?.passed).toBe(false);
    expect(String(twoInstances?.error)).toContain('secondInstance');
  });
});
