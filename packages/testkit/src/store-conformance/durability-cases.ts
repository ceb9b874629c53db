import assert from 'node:assert/strict';
import {
  accountRecord,
  backoffRecord,
  certificateRecord,
  ledgerEvent,
  managedRecord,
  orderRecord,
  unique,
} from './fixtures.js';
import type { StoreConformanceCase } from './store-case.js';

export const durabilityCases: readonly StoreConformanceCase[] = [
  {
    id: 'durability',
    title:
      'what was written survives close and reopen (records, order revisions, deletes, ledger, leases and tokens)',
    async run(subject) {
      assert.ok(subject.reopen, 'the subject must provide reopen (or declare durability not applicable)');
      const { store } = subject;
      const directoryUrl = `https://${unique('ca')}.test/directory`;
      const account = accountRecord(directoryUrl);
      const certificate = certificateRecord(unique('cert'));
      const order = orderRecord(unique('order'));
      const managed = managedRecord(unique('managed'));
      const deleted = certificateRecord(unique('deleted'));
      const backoff = backoffRecord(unique('backoff'));
      const event = ledgerEvent(directoryUrl, { at: new Date().toISOString(), detail: 'kept' });
      const leaseName = unique('lease');
      await store.putAccount(account);
      await store.putCertificate(certificate);
      await store.putOrder(order, 0);
      const revised = await store.putOrder({ ...order, updatedAt: '2026-11-01T00:02:00.000Z' }, 1);
      await store.putManaged(managed);
      await store.putCertificate(deleted);
      await store.deleteCertificate(deleted.key);
      await store.putBackoff(backoff);
      await store.appendLedger(event);
      const lease = await store.acquireLease(leaseName, 'worker-a', 60_000);
      assert.ok(lease);
      const released = unique('released');
      const releasedLease = await store.acquireLease(released, 'worker-a', 60_000);
      await store.releaseLease(releasedLease!);
      await store.close();

      const reopened = await subject.reopen();
      try {
        assert.deepEqual(await reopened.getAccount(directoryUrl, account.name), account);
        assert.deepEqual(await reopened.getCertificate(certificate.key), certificate);
        assert.deepEqual(await reopened.getOrder(order.key), revised);
        assert.equal(
          (await reopened.putOrder(order, revised.revision)).revision,
          3,
          'the revision went back',
        );
        assert.deepEqual(await reopened.getManaged(managed.key), managed);
        assert.equal(
          await reopened.getCertificate(deleted.key),
          undefined,
          'a deleted certificate came back',
        );
        assert.deepEqual(await reopened.getLease(leaseName), lease, 'getLease lost the lease after reopen');
        assert.deepEqual(await reopened.getBackoff(backoff.key), backoff);
        assert.deepEqual(await reopened.queryLedger({ directoryUrl, since: event.at }), [event]);
        assert.equal(
          await reopened.acquireLease(leaseName, 'worker-b', 60_000),
          undefined,
          'the lease was lost',
        );
        const renewed = await reopened.acquireLease(leaseName, 'worker-a', 60_000);
        assert.equal(renewed?.token, lease.token, 'the holder could not renew its lease after reopen');
        const next = await reopened.acquireLease(released, 'worker-b', 60_000);
        assert.ok(next && next.token > releasedLease!.token, 'the fencing token went back after reopen');
      } finally {
        await reopened.close();
      }
    },
  },
];
