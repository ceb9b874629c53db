import assert from 'node:assert/strict';
import type { ManagedCertificateRecord } from '@certkeeper/store';
import { managedRecord, unique } from './fixtures.js';
import { assertKeyPaging, scrambledKeys } from './key-paging.js';
import type { StoreConformanceCase } from './store-case.js';

export const managedCases: readonly StoreConformanceCase[] = [
  {
    id: 'managed-round-trip',
    title: 'managed certificates round-trip (recipe, deployment), are replaced, detached and deleted',
    async run({ store }) {
      const key = unique('managed');
      assert.equal(await store.getManaged(key), undefined);
      const record = managedRecord(key);
      const expected = structuredClone(record);
      await store.putManaged(record);
      (record.recipe as Record<string, unknown>).output = '/changed';
      const read = await store.getManaged(key);
      assert.deepEqual(read, expected, 'the stored record is not the one written, field for field');
      (read!.recipe as Record<string, unknown>).output = '/mutated';
      assert.deepEqual(await store.getManaged(key), expected, 'copies are detached');

      const deployed: ManagedCertificateRecord = {
        ...expected,
        deployment: { serialNumberHex: '0a000002', at: '2026-11-02T00:00:00.000Z', ok: true, attempts: 0 },
        updatedAt: '2026-11-02T00:00:00.000Z',
      };
      await store.putManaged(deployed);
      assert.deepEqual(await store.getManaged(key), deployed);
      const { deployment: _, ...withoutDeployment } = deployed;
      await store.putManaged(withoutDeployment);
      assert.deepEqual(await store.getManaged(key), withoutDeployment, 'a dropped deployment stayed');

      await store.deleteManaged(key);
      assert.equal(await store.getManaged(key), undefined);
      await store.deleteManaged(key);
      await store.deleteManaged(unique('never-stored'));
      await store.putManaged(expected);
      assert.deepEqual(await store.getManaged(key), expected, 'a deleted key cannot be written again');
    },
  },
  {
    id: 'managed-paging',
    title: 'listManaged pages in key order after `afterKey`, `limit` at a time, without deleted ones',
    async run({ store }) {
      const prefix = unique('managed');
      const keys = scrambledKeys(prefix);
      await Promise.all(keys.map((key) => store.putManaged(managedRecord(key))));
      const gone = [`${prefix}/03`, `${prefix}/17`];
      for (const key of gone) await store.deleteManaged(key);
      const kept = keys.filter((key) => !gone.includes(key));
      await assertKeyPaging((options) => store.listManaged(options), prefix, kept);
      const [first] = await store.listManaged({ afterKey: prefix, limit: 1 });
      assert.deepEqual(first, managedRecord(`${prefix}/00`), 'listed records carry every field');
    },
  },
];
