import {
  ChalltestsrvDnsProvider,
  type Dns01ReceiptData,
  Dns01Solver,
  parseServerAddress,
  WireDnsTransport,
} from '@certkeeper/dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Challtestsrv, startChalltestsrv } from './support/challtestsrv.js';
import { dnsTasks, publishAndWait } from './support/measure-propagation.js';

let challtestsrv: Challtestsrv;
beforeAll(async () => {
  challtestsrv = await startChalltestsrv();
});
afterAll(async () => {
  await challtestsrv?.stop();
});

async function served(fqdn: string): Promise<string[]> {
  const response = await new WireDnsTransport().query(parseServerAddress(challtestsrv.dnsAddress), {
    name: fqdn,
    type: 'TXT',
    recursionDesired: false,
  });
  return response.answers
    .filter((record) => record.type === 'TXT')
    .map((record) => record.data)
    .sort();
}

describe('dns-01 solver with pebble-challtestsrv (no NS/SOA: fixed servers and the provider zone list)', () => {
  it('publishes an order including a CNAME-delegated name, is ready at once, and cleans up exactly', async () => {
    const cname = await fetch(`${challtestsrv.managementUrl}/set-cname`, {
      method: 'POST',
      body: JSON.stringify({ host: '_acme-challenge.alias.example.test.', target: 'x1.validation.test.' }),
    });
    expect(cname.ok).toBe(true);
    const provider = new ChalltestsrvDnsProvider({
      managementUrl: challtestsrv.managementUrl,
      dnsServer: challtestsrv.dnsAddress,
      zones: ['example.test', 'validation.test'],
    });
    const solver = new Dns01Solver({ provider, discovery: { fixedServers: [challtestsrv.dnsAddress] } });
    const names = [
      'example.test',
      '*.example.test',
      'www.example.test',
      'api.example.test',
      'alias.example.test',
    ];
    const { receipts, figures } = await publishAndWait(solver, dnsTasks(names, 'cts'));

    expect(figures.checks).toBe(1);
    // One name per distinct fqdn (4) on the one fixed server.
    expect(figures.queriesPerCheck).toEqual([4]);
    expect((receipts[4]!.data as Dns01ReceiptData).fqdn).toBe('x1.validation.test');
    expect(await served('_acme-challenge.example.test')).toEqual(['cts-digest-0', 'cts-digest-1']);
    expect(await served('x1.validation.test')).toEqual(['cts-digest-4']);

    await solver.cleanup(receipts);
    for (const fqdn of [
      '_acme-challenge.example.test',
      '_acme-challenge.www.example.test',
      'x1.validation.test',
    ]) {
      expect(await served(fqdn)).toEqual([]);
    }
  });
});
