import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { type Dns01ReceiptData, Dns01Solver, type DnsProvider, WireDnsTransport } from '@certkeeper/dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindServers, startBindServers } from './support/bind-servers.js';
import { dnsTasks, publishAndWait } from './support/measure-propagation.js';
import { NsupdateTestProvider } from './support/nsupdate-provider.js';

let bind: BindServers;
let provider: NsupdateTestProvider;
const solverWith = (dnsProvider: DnsProvider) =>
  new Dns01Solver({
    provider: dnsProvider,
    discovery: { resolvers: [bind.addresses.primary.v4] },
    propagation: { initialIntervalMs: 250, growthFactor: 1.5, maxIntervalMs: 2000, timeoutMs: 60_000 },
  });

beforeAll(async () => {
  // NOTIFY without BIND's default 5 s batching delay, so the figure measures transfers and checks.
  bind = await startBindServers({ notifyDelaySeconds: 0 });
  provider = new NsupdateTestProvider({ host: bind.addresses.primary.v4, port: 53 }, bind.updateKey);
});
afterAll(async () => {
  await bind?.stop();
});

async function servedValues(fqdn: string): Promise<string[][]> {
  const transport = new WireDnsTransport();
  const { primary, secondary } = bind.addresses;
  const answers = await Promise.all(
    [primary.v4, primary.v6, secondary.v4, secondary.v6].map((host) =>
      transport.query({ host, port: 53 }, { name: fqdn, type: 'TXT', recursionDesired: false }),
    ),
  );
  return answers.map((answer) =>
    answer.answers
      .filter((record) => record.type === 'TXT')
      .map((record) => record.data)
      .sort(),
  );
}

describe('dns-01 solver against BIND (primary + secondary, NOTIFY on)', () => {
  it('publishes an apex, its wildcard, three more names and a CNAME-delegated name, with one wait', async () => {
    const names = [
      'prop.test',
      '*.prop.test',
      'www.prop.test',
      'api.prop.test',
      'deep.a.prop.test',
      'delegated.prop.test',
    ];
    const solver = solverWith(provider);
    const { receipts, figures, result } = await publishAndWait(solver, dnsTasks(names, 'order1'));
    console.log(JSON.stringify({ bench: 'dns01-propagation-bind', names: names.length, ...figures }));

    const data = receipts.map((receipt) => receipt.data as Dns01ReceiptData);
    expect(data.map((entry) => entry.fqdn)).toEqual([
      '_acme-challenge.prop.test',
      '_acme-challenge.prop.test',
      '_acme-challenge.www.prop.test',
      '_acme-challenge.api.prop.test',
      '_acme-challenge.deep.a.prop.test',
      'd1.acme-dns.test',
    ]);
    expect(data[5]).toMatchObject({
      zone: 'acme-dns.test',
      name: 'd1',
      challengeName: '_acme-challenge.delegated.prop.test',
    });
    // Five distinct names, each on 4 addresses (ns1 and ns2, IPv4 and IPv6).
    expect(result.servers).toHaveLength(20);
    expect(figures.queriesPerCheck.at(-1)).toBeLessThanOrEqual(20 + 2 * 7);
    // Both values at the apex name are separate records on every server.
    expect(await servedValues('_acme-challenge.prop.test')).toEqual(
      Array(4).fill(['order1-digest-0', 'order1-digest-1']),
    );

    await solver.cleanup(receipts);
    expect(await provider.listRecords('prop.test', { name: '_acme-challenge' })).toEqual([]);
    // Only our value went; the delegation target's own record stays.
    expect(
      (await provider.listRecords('acme-dns.test', { name: 'd1' })).map((record) => record.value),
    ).toEqual(['acme-dns placeholder']);
  });

  it('leaves no record behind when creation fails in the middle of an order', async () => {
    let calls = 0;
    const failing: DnsProvider = {
      listRecords: (zone, filter) => provider.listRecords(zone, filter),
      deleteRecord: (zone, record) => provider.deleteRecord(zone, record),
      async createRecord(zone, record) {
        calls += 1;
        if (record.value.endsWith('digest-3'))
          throw new CertkeeperError(ErrorCodes.DNS_PROVIDER_FAILED, 'simulated outage');
        return provider.createRecord(zone, record);
      },
    };
    const names = ['prop.test', '*.prop.test', 'www.prop.test', 'api.prop.test', 'deep.a.prop.test'];
    const error = await solverWith(failing)
      .publish(dnsTasks(names, 'order2'), {})
      .catch((caught: unknown) => caught);
    expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(calls).toBe(5);
    for (const name of [
      '_acme-challenge',
      '_acme-challenge.www',
      '_acme-challenge.api',
      '_acme-challenge.deep.a',
    ]) {
      expect(await provider.listRecords('prop.test', { name })).toEqual([]);
    }
  });
});
