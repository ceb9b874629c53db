import assert from 'node:assert/strict';
import { certificateRecord, ledgerEvent, unique } from './fixtures.js';
import type { StoreConformanceCase } from './store-case.js';

export const concurrencyCases: readonly StoreConformanceCase[] = [
  {
    id: 'concurrent-ledger-appends',
    title: '100 parallel ledger appends are all kept',
    async run({ store }) {
      const directoryUrl = `https://${unique('ca')}.test/directory`;
      const since = new Date(Date.now() - 60_000).toISOString();
      const details = Array.from({ length: 100 }, (_, i) => `append-${i}`);
      await Promise.all(
        details.map((detail, i) =>
          store.appendLedger(
            ledgerEvent(directoryUrl, { at: new Date(Date.now() - 1_000 + i).toISOString(), detail }),
          ),
        ),
      );
      const events = await store.queryLedger({ directoryUrl, since });
      assert.equal(events.length, 100, `${events.length} of 100 appended events were kept`);
      assert.deepEqual(events.map((event) => event.detail).sort(), [...details].sort());
    },
  },
  {
    id: 'concurrent-lease',
    title: '50 parallel acquireLease calls by different holders: exactly one holds it',
    async run({ store }) {
      const name = unique('lease');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.acquireLease(name, `worker-${i}`, 30_000)),
      );
      const holders = results.filter((lease) => lease !== undefined);
      assert.equal(holders.length, 1, `${holders.length} of 50 concurrent callers got the lease`);
    },
  },
  {
    id: 'concurrent-puts',
    title: '50 parallel certificate writes under different keys are all kept',
    async run({ store }) {
      const prefix = unique('parallel');
      const keys = Array.from({ length: 50 }, (_, i) => `${prefix}/${String(i).padStart(2, '0')}`);
      await Promise.all(keys.map((key) => store.putCertificate(certificateRecord(key))));
      const listed = await store.listCertificates({ afterKey: prefix, limit: 60 });
      assert.deepEqual(
        listed.filter((record) => record.key.startsWith(`${prefix}/`)).map((record) => record.key),
        keys,
      );
    },
  },
];
