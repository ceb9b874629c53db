import {
  AcmeClient,
  dnsAccountLabel,
  generateAccountKey,
  parseCertificate,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import { ChalltestsrvDnsProvider, Dns01Solver, type DnsProvider } from '@certkeeper/dns';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import { MemoryStore } from '@certkeeper/store';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caWithoutChallenge } from '../support/ca-without-challenge.js';
import { servedTxt } from '../support/issue-from-pebble.js';

/**
 * dns-account-01 (draft-ietf-acme-dns-account-label) against Pebble 2.10's own validation authority, DNS in
 * pebble-challtestsrv: the dns-01 solver with `dnsAccount01: true` publishes at `_<account label>._acme-challenge`,
 * and two accounts validating one name at the same moment each use their own record.
 */
describe('issuing through dns-account-01 from Pebble 2.10', () => {
  let pebble: PebbleHandle;
  const managers: CertificateManager[] = [];
  /** Every record created in challtestsrv, and how many of ours were in DNS at once. */
  const created: { name: string; value: string }[] = [];
  let live = 0;
  let peakLive = 0;
  let onCreate: (() => Promise<void>) | undefined;

  /** The harness's challtestsrv as the DNS host, recording what is created and deleted. */
  const recordingProvider = (): DnsProvider => {
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    const inner = new ChalltestsrvDnsProvider({
      managementUrl: pebble.challtestsrv.url,
      dnsServer,
      zones: ['example.test'],
    });
    return {
      createRecord: async (zone, record, options) => {
        const result = await inner.createRecord(zone, record, options);
        created.push({ name: `${record.name}.${zone}`, value: record.value });
        peakLive = Math.max(peakLive, ++live);
        await onCreate?.();
        return result;
      },
      deleteRecord: async (zone, record, options) => {
        const deleted = await inner.deleteRecord(zone, record, options);
        live--;
        return deleted;
      },
      listRecords: (zone, filter, options) => inner.listRecords(zone, filter, options),
    };
  };

  /** A manager with its own store, hence its own account at Pebble, answering dns-account-01 where offered. */
  const managerWithOwnAccount = (store: MemoryStore): CertificateManager => {
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    const manager = createCertificateManager({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      store,
      solvers: [
        new Dns01Solver({
          provider: recordingProvider(),
          discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
          dnsAccount01: true,
        }),
      ],
      metrics: false,
    });
    managers.push(manager);
    return manager;
  };

  const labelOf = async (store: MemoryStore): Promise<string> =>
    dnsAccountLabel((await store.getAccount(pebble.directoryUrl, 'default'))!.accountUrl);

  beforeAll(async () => {
    pebble = await startPebble();
  });
  afterAll(async () => {
    await Promise.all(managers.map((manager) => manager.close()));
    await pebble?.stop();
  });

  it('issues an apex + wildcard with both records at the account-scoped name, then removes them', async () => {
    created.length = 0;
    const store = new MemoryStore();
    const manager = managerWithOwnAccount(store);
    const names = ['one.example.test', '*.one.example.test'];
    const outcome = await manager.ensure({ identifiers: names });
    expect(outcome.type, outcome.reason).toBe('issued');

    const label = await labelOf(store);
    // Both authorizations (apex and wildcard) were answered at the same account-scoped name; no dns-01 record.
    expect(created.map((record) => record.name)).toEqual([
      `_${label}._acme-challenge.one.example.test`,
      `_${label}._acme-challenge.one.example.test`,
    ]);
    expect(new Set(created.map((record) => record.value)).size).toBe(2);
    const [stored] = await store.listCertificates();
    expect([...parseCertificate(stored!.certificatePem).names].sort()).toEqual([...names].sort());
    expect(await servedTxt(pebble.dnsPort, `_${label}._acme-challenge.one.example.test`)).toEqual([]);
  });

  it('two accounts validating the same name at once both get their certificate, each at its own record', async () => {
    created.length = 0;
    peakLive = 0;
    // Hold every publication until both accounts have published: the two validations overlap for certain.
    let release!: () => void;
    const bothPublished = new Promise<void>((resolve) => {
      release = resolve;
    });
    onCreate = async () => {
      if (new Set(created.map((record) => record.name)).size >= 2) release();
      await Promise.race([bothPublished, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    };
    try {
      const stores = [new MemoryStore(), new MemoryStore()];
      const [a, b] = stores.map(managerWithOwnAccount);
      const names = ['shared.example.test', '*.shared.example.test'];
      const outcomes = await Promise.all([
        a!.ensure({ identifiers: names }),
        b!.ensure({ identifiers: names }),
      ]);
      expect(outcomes.map((outcome) => `${outcome.type}: ${outcome.reason}`)).toEqual([
        expect.stringMatching(/^issued/),
        expect.stringMatching(/^issued/),
      ]);

      const labels = await Promise.all(stores.map(labelOf));
      expect(labels[0]).not.toBe(labels[1]);
      const byName = new Map<string, number>();
      for (const record of created) byName.set(record.name, (byName.get(record.name) ?? 0) + 1);
      // Each account published its apex and wildcard values at its own name, and nothing at the other's.
      expect(Object.fromEntries(byName)).toEqual({
        [`_${labels[0]}._acme-challenge.shared.example.test`]: 2,
        [`_${labels[1]}._acme-challenge.shared.example.test`]: 2,
      });
      expect(peakLive).toBe(4); // all four records were in DNS at the same time
      const certificates = await Promise.all(
        stores.map(async (store) => (await store.listCertificates())[0]!),
      );
      for (const certificate of certificates)
        expect([...parseCertificate(certificate.certificatePem).names].sort()).toEqual([...names].sort());
      expect(certificates[0]!.serialNumberHex).not.toBe(certificates[1]!.serialNumberHex);
      for (const label of labels)
        expect(await servedTxt(pebble.dnsPort, `_${label}._acme-challenge.shared.example.test`)).toEqual([]);
    } finally {
      onCreate = undefined;
    }
  });

  it('falls back to dns-01 where the CA does not offer dns-account-01', async () => {
    created.length = 0;
    // A CA without the draft: the proxy removes dns-account-01 from every authorization Pebble sends.
    const proxy = await caWithoutChallenge(pebble, 'dns-account-01');
    const client = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey: await generateAccountKey('ES256'),
    });
    try {
      const accountUrl = (await client.accounts.create({ contact: ['mailto:ops@example.test'] })).url;
      const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
      const solver = new Dns01Solver({
        provider: recordingProvider(),
        discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
        dnsAccount01: true,
      });
      const state = await prepareOrder({
        directoryUrl: proxy.directoryUrl,
        accountUrl,
        identifiers: ['plain.example.test'],
      });
      const { certificate, state: final } = await runOrder(state, { client, solvers: [solver] });
      expect(final.authorizations.map((entry) => entry.challenge?.type)).toEqual(['dns-01']);
      expect(created.map((record) => record.name)).toEqual(['_acme-challenge.plain.example.test']);
      expect([...parseCertificate(certificate.pem).names]).toEqual(['plain.example.test']);
    } finally {
      await client.close();
      await proxy.close();
    }
  });
});
