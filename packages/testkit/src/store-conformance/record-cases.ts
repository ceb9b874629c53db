import assert from 'node:assert/strict';
import type { CertificateRecord } from '@certkeeper/store';
import { accountRecord, backoffRecord, certificateRecord, orderRecord, unique } from './fixtures.js';
import { assertKeyPaging, scrambledKeys } from './key-paging.js';
import type { StoreConformanceCase } from './store-case.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const recordCases: readonly StoreConformanceCase[] = [
  {
    id: 'account-round-trip',
    title: 'accounts round-trip per directory and name, as detached copies; absent ones are undefined',
    async run({ store }) {
      const directoryUrl = `https://${unique('ca')}.test/directory`;
      const record = accountRecord(directoryUrl);
      const other = accountRecord(directoryUrl, 'second');
      const expected = structuredClone(record);
      await store.putAccount(record);
      await store.putAccount(other);
      // The store keeps its own copy: changing the caller's object after the write changes nothing stored.
      (record.contact as string[]).push('mailto:changed@example.test');
      const read = await store.getAccount(directoryUrl, 'default');
      assert.deepEqual(read, expected);
      assert.deepEqual(await store.getAccount(directoryUrl, 'second'), other);
      (read as Mutable<typeof record>).accountUrl = 'mutated';
      assert.equal((await store.getAccount(directoryUrl, 'default'))?.accountUrl, expected.accountUrl);
      assert.equal(await store.getAccount(directoryUrl, 'absent'), undefined);
      assert.equal(await store.getAccount(`https://${unique('other')}.test/directory`, 'default'), undefined);
      const replaced = { ...expected, accountUrl: `${expected.accountUrl}-2` };
      await store.putAccount(replaced);
      assert.equal((await store.getAccount(directoryUrl, 'default'))?.accountUrl, replaced.accountUrl);
    },
  },
  {
    id: 'certificate-round-trip',
    title: 'certificates round-trip with every field, as detached copies; absent ones are undefined',
    async run({ store }) {
      const record = certificateRecord(unique('cert'));
      await store.putCertificate(record);
      const read = (await store.getCertificate(record.key)) as Mutable<CertificateRecord> | undefined;
      assert.deepEqual(read, record);
      read!.keyPem = 'mutated';
      (read!.identifiers as unknown[]).length = 0;
      assert.deepEqual(await store.getCertificate(record.key), record);
      assert.equal(await store.getCertificate(unique('absent')), undefined);
      const minimal: CertificateRecord = { ...record, key: unique('minimal') };
      for (const field of ['profile', 'ariCertId', 'renewalInfo'] as const)
        delete (minimal as Partial<CertificateRecord>)[field];
      await store.putCertificate(minimal);
      assert.deepEqual(await store.getCertificate(minimal.key), minimal);
      // Ordered with the caller's own CSR: no key, and the record says whose key it is.
      const { keyPem: _held, ...rest } = record;
      const external: CertificateRecord = {
        ...rest,
        key: unique('external'),
        externalKey: { spkiSha256: 'ab'.repeat(32) },
      };
      await store.putCertificate(external);
      assert.deepEqual(await store.getCertificate(external.key), external);
    },
  },
  {
    id: 'certificate-replace-atomic',
    title: 'replacing a certificate changes certificate and key together; readers never see a mixed pair',
    async run({ store }) {
      const key = unique('cert');
      await store.putCertificate(certificateRecord(key, 1));
      const generationOf = (record: CertificateRecord) => {
        const decode = (pem: string) => Buffer.from(pem.split('\n')[1]!, 'base64').toString();
        const cert = /gen (\d+)$/.exec(decode(record.certificatePem))?.[1];
        const keyGen = /gen (\d+)$/.exec(decode(record.keyPem ?? ''))?.[1];
        assert.equal(cert, keyGen, `reader saw certificate generation ${cert} with key generation ${keyGen}`);
        assert.equal(record.serialNumberHex, `0a${Number(cert).toString(16).padStart(6, '0')}`);
        return Number(cert);
      };
      let writing = true;
      const reader = (async () => {
        let last = 1;
        while (writing) {
          const seen = generationOf((await store.getCertificate(key))!);
          assert.ok(seen >= last, `reader went back from generation ${last} to ${seen}`);
          last = seen;
        }
      })();
      try {
        for (let generation = 2; generation <= 30; generation += 1) {
          await store.putCertificate(certificateRecord(key, generation));
        }
      } finally {
        writing = false;
      }
      await reader;
      assert.equal(generationOf((await store.getCertificate(key))!), 30);
    },
  },
  {
    id: 'list-certificates-paging',
    title: 'listCertificates pages in key order after `afterKey`, `limit` at a time, each certificate once',
    async run({ store }) {
      const prefix = unique('list');
      const keys = scrambledKeys(prefix);
      await Promise.all(keys.map((key) => store.putCertificate(certificateRecord(key))));
      await assertKeyPaging((options) => store.listCertificates(options), prefix, keys);
      const [first] = await store.listCertificates({ afterKey: prefix, limit: 1 });
      assert.deepEqual(first, certificateRecord(`${prefix}/00`), 'listed records carry every field');
    },
  },
  {
    id: 'order-round-trip',
    title: 'in-flight orders round-trip, are deleted, and deleting an absent one is a no-op',
    async run({ store }) {
      const record = orderRecord(unique('order'));
      await store.putOrder(record, 0);
      const read = await store.getOrder(record.key);
      assert.deepEqual(read, { ...record, revision: 1 });
      (read!.state.authorizations as unknown[]).length = 0;
      assert.deepEqual(await store.getOrder(record.key), { ...record, revision: 1 });
      const advanced = { ...record, state: { ...record.state, phase: 'finalize' as const, attempts: 0 } };
      await store.putOrder(advanced, 1);
      assert.equal((await store.getOrder(record.key))?.state.phase, 'finalize');
      await store.deleteOrder(record.key);
      assert.equal(await store.getOrder(record.key), undefined);
      await store.deleteOrder(record.key);
      await store.deleteOrder(unique('never-stored'));
    },
  },
  {
    id: 'certificate-delete',
    title:
      'deleteCertificate removes a certificate (read and list), absent is fine, the key can be stored again',
    async run({ store }) {
      const prefix = unique('deleted');
      const [kept, removed] = [`${prefix}/a`, `${prefix}/b`];
      await store.putCertificate(certificateRecord(kept, 1));
      await store.putCertificate(certificateRecord(removed, 1));
      await store.putCertificate(certificateRecord(removed, 2));
      await store.deleteCertificate(removed);
      assert.equal(await store.getCertificate(removed), undefined);
      const listed = await store.listCertificates({ afterKey: prefix, limit: 10 });
      assert.deepEqual(
        listed.filter((record) => record.key.startsWith(`${prefix}/`)).map((record) => record.key),
        [kept],
      );
      assert.deepEqual(
        await store.getCertificate(kept),
        certificateRecord(kept, 1),
        'a neighbour was touched',
      );
      await store.deleteCertificate(removed);
      await store.deleteCertificate(unique('never-stored'));
      await store.putCertificate(certificateRecord(removed, 3));
      assert.deepEqual(await store.getCertificate(removed), certificateRecord(removed, 3));
    },
  },
  {
    id: 'backoff-round-trip',
    title:
      'backoff state is set, replaced, read and deleted; absent is undefined, deleting absent is a no-op',
    async run({ store }) {
      const key = unique('backoff');
      assert.equal(await store.getBackoff(key), undefined);
      await store.putBackoff(backoffRecord(key, 1));
      assert.deepEqual(await store.getBackoff(key), backoffRecord(key, 1));
      await store.putBackoff(backoffRecord(key, 2));
      assert.equal((await store.getBackoff(key))?.failures, 2);
      const withoutOptional = { ...backoffRecord(key, 3) };
      delete (withoutOptional as { rateLimited?: boolean }).rateLimited;
      await store.putBackoff(withoutOptional);
      assert.deepEqual(await store.getBackoff(key), withoutOptional);
      await store.deleteBackoff(key);
      assert.equal(await store.getBackoff(key), undefined);
      await store.deleteBackoff(key);
    },
  },
];
