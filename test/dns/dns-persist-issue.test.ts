import {
  AcmeClient,
  CertkeeperError,
  dnsPersistRecordValue,
  ErrorCodes,
  generateAccountKey,
  parseCertificate,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import { ChalltestsrvDnsProvider, Dns01Solver, DnsPersistRecords, type DnsProvider } from '@certkeeper/dns';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caWithoutChallenge } from '../support/ca-without-challenge.js';
import { servedTxt } from '../support/issue-from-pebble.js';

/**
 * dns-persist-01 (draft-ietf-acme-dns-persist-00) against Pebble 2.10.0's own validation authority, DNS in
 * pebble-challtestsrv: the standing record is published once through the provider, then every issuance answers
 * dns-persist-01 without a single DNS write. Authorization reuse is off, so each order is validated again.
 */
describe('issuing through dns-persist-01 from Pebble 2.10', () => {
  let pebble: PebbleHandle;
  let client: AcmeClient;
  let accountUrl: string;
  let issuer: string;
  /** Every write the provider was asked for. */
  const writes: string[] = [];

  const recordingProvider = (): DnsProvider => {
    const inner = new ChalltestsrvDnsProvider({
      managementUrl: pebble.challtestsrv.url,
      dnsServer: `127.0.0.1:${pebble.dnsPort}`,
      zones: ['example.test'],
    });
    return {
      createRecord: async (zone, record, options) => {
        writes.push(`create ${record.name}.${zone} ${record.value}`);
        return inner.createRecord(zone, record, options);
      },
      deleteRecord: async (zone, record, options) => {
        writes.push(`delete ${record.name}.${zone} ${record.value}`);
        return inner.deleteRecord(zone, record, options);
      },
      listRecords: (zone, filter, options) => inner.listRecords(zone, filter, options),
    };
  };

  const solver = () => {
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    return new Dns01Solver({
      provider: recordingProvider(),
      discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
      propagation: { initialIntervalMs: 100 },
      dnsPersist01: true,
    });
  };

  const order = async (names: string[]) =>
    runOrder(await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers: names }), {
      client,
      solvers: [solver()],
    });

  beforeAll(async () => {
    pebble = await startPebble({ env: { PEBBLE_AUTHZREUSE: '0' } });
    client = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: await generateAccountKey('ES256'),
    });
    accountUrl = (await client.accounts.create({ contact: ['mailto:ops@example.test'] })).url;
    // The issuer domain names Pebble puts in the challenge are its directory's caaIdentities.
    issuer = (await client.directory()).meta!.caaIdentities![0]!;
  });
  afterAll(async () => {
    await client?.close();
    await pebble?.stop();
  });

  it('publishes the record once, then issues twice (apex + wildcard) with zero DNS writes', async () => {
    const value = dnsPersistRecordValue({
      issuerDomainName: issuer,
      accountUri: accountUrl,
      wildcard: true,
      persistUntil: new Date(Date.now() + 365 * 86_400_000),
    });
    const publication = await new DnsPersistRecords(solver()).publish([
      { name: 'persist.example.test', value },
    ]);
    expect(publication.result.status).toBe('ready');
    expect(writes).toEqual([`create _validation-persist.persist.example.test ${value}`]);
    expect(await servedTxt(pebble.dnsPort, '_validation-persist.persist.example.test')).toEqual([value]);

    const names = ['persist.example.test', '*.persist.example.test'];
    const serials: string[] = [];
    for (let issuance = 0; issuance < 2; issuance++) {
      const { certificate, state } = await order(names);
      expect(state.authorizations.map((entry) => entry.challenge?.type)).toEqual([
        'dns-persist-01',
        'dns-persist-01',
      ]);
      expect([...parseCertificate(certificate.pem).names].sort()).toEqual([...names].sort());
      serials.push(parseCertificate(certificate.pem).serialNumberHex);
    }
    expect(new Set(serials).size).toBe(2);
    // The one write is the publication: the two orders wrote and deleted nothing.
    expect(writes).toHaveLength(1);
    // Pebble's VA read the standing record for the validations (our own checks ask challtestsrv too).
    const history = await pebble.challtestsrv.dnsRequestHistory('_validation-persist.persist.example.test');
    expect(history.length).toBeGreaterThanOrEqual(4);
    expect(await servedTxt(pebble.dnsPort, '_validation-persist.persist.example.test')).toEqual([value]);
  });

  it('stops before answering when the record does not authorize the wildcard, spending no validation', async () => {
    writes.length = 0;
    // Published without policy=wildcard: the apex is covered, the wildcard is not.
    const value = dnsPersistRecordValue({ issuerDomainName: issuer, accountUri: accountUrl });
    await new DnsPersistRecords(solver()).publish([{ name: 'nowild.example.test', value }]);
    writes.length = 0;
    const error = await order(['nowild.example.test', '*.nowild.example.test']).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.DNS_PERSIST_RECORD_MISSING);
    expect((error as Error).message).toContain('_validation-persist.nowild.example.test');
    expect((error as Error).message).toContain('certkeeper persist publish nowild.example.test');
    expect(writes).toEqual([]);
    // The apex alone issues from the same record.
    const { state } = await order(['nowild.example.test']);
    expect(state.authorizations.map((entry) => entry.challenge?.type)).toEqual(['dns-persist-01']);
  });

  it('answers dns-01 (and writes its record) where the CA does not offer dns-persist-01', async () => {
    writes.length = 0;
    // A CA without the draft: the proxy removes dns-persist-01 from every authorization Pebble sends.
    const proxy = await caWithoutChallenge(pebble, 'dns-persist-01');
    const proxied = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey: await generateAccountKey('ES256'),
    });
    try {
      const proxiedAccount = (await proxied.accounts.create({ contact: ['mailto:ops@example.test'] })).url;
      const state = await prepareOrder({
        directoryUrl: proxy.directoryUrl,
        accountUrl: proxiedAccount,
        identifiers: ['fallback.example.test'],
      });
      const { state: final } = await runOrder(state, { client: proxied, solvers: [solver()] });
      expect(final.authorizations.map((entry) => entry.challenge?.type)).toEqual(['dns-01']);
      expect(writes.map((write) => write.split(' ').slice(0, 2).join(' '))).toEqual([
        'create _acme-challenge.fallback.example.test',
        'delete _acme-challenge.fallback.example.test',
      ]);
    } finally {
      await proxied.close();
      await proxy.close();
    }
  });
});
