import { type Lease, leaseHolderId, type Store } from '@certkeeper/store';
import {
  backoffRecord,
  certificateRecord,
  ledgerEvent,
  managedRecord,
  orderRecord,
} from '@certkeeper/testkit/store-conformance';

/**
 * The writes a crash test kills a FileStore in the middle of: every kind of store write, a certificate new and
 * replaced, order compare-and-set sequences and deletes, managed records, backoff, ledger, lease acquire and
 * release. Run in order by `store-crash-child.ts` (which prints `ack <n>` after step n resolved) and on a
 * MemoryStore by the test, as the model of what the store must hold after n or n + 1 steps.
 */
export const crashKeys = {
  certificate: 'crash.test',
  other: 'https://ca.example.test/acct/1 dns:other.crash.test',
  order: 'order crash.test',
  managed: 'managed crash.test',
  backoff: 'backoff crash.test',
  lease: 'certificate|crash.test',
  directoryUrl: 'https://ca.crash.test/directory',
} as const;

interface Context {
  lease?: Lease;
}

export interface CrashStep {
  readonly name: string;
  run(store: Store, context: Context): Promise<unknown>;
}

const k = crashKeys;
const order = (id: string) => {
  const base = orderRecord(k.order);
  return { ...base, state: { ...base.state, id } };
};
// A recent time: the FileStore drops ledger days older than its retention when it opens.
const event = (detail: string) => ledgerEvent(k.directoryUrl, { at: new Date().toISOString(), detail });

export const crashSteps: readonly CrashStep[] = [
  { name: 'certificate new', run: (store) => store.putCertificate(certificateRecord(k.certificate, 1)) },
  { name: 'certificate replace', run: (store) => store.putCertificate(certificateRecord(k.certificate, 2)) },
  { name: 'order create', run: (store) => store.putOrder(order('created'), 0) },
  { name: 'order step', run: (store) => store.putOrder(order('authorized'), 1) },
  { name: 'managed put', run: (store) => store.putManaged(managedRecord(k.managed)) },
  { name: 'backoff put', run: (store) => store.putBackoff(backoffRecord(k.backoff, 1)) },
  { name: 'ledger append', run: (store) => store.appendLedger(event('first')) },
  {
    name: 'lease acquire',
    run: async (store, context) => {
      context.lease = await store.acquireLease(k.lease, leaseHolderId({ description: 'crash' }), 60_000);
      if (!context.lease) throw new Error('the lease was not free');
    },
  },
  { name: 'order step 2', run: (store) => store.putOrder(order('finalized'), 2) },
  {
    name: 'certificate replace 2',
    run: (store) => store.putCertificate(certificateRecord(k.certificate, 3)),
  },
  { name: 'other certificate new', run: (store) => store.putCertificate(certificateRecord(k.other, 1)) },
  { name: 'other certificate delete', run: (store) => store.deleteCertificate(k.other) },
  { name: 'order delete', run: (store) => store.deleteOrder(k.order, 3) },
  {
    name: 'managed replace',
    run: (store) =>
      store.putManaged(
        managedRecord(k.managed, {
          deployment: { serialNumberHex: '0a000003', at: '2026-11-02T00:00:00.000Z', ok: true, attempts: 0 },
        }),
      ),
  },
  { name: 'backoff replace', run: (store) => store.putBackoff(backoffRecord(k.backoff, 2)) },
  { name: 'ledger append 2', run: (store) => store.appendLedger(event('second')) },
  { name: 'lease release', run: (store, context) => store.releaseLease(context.lease!) },
  { name: 'order recreate', run: (store) => store.putOrder(order('again'), 0) },
  { name: 'managed delete', run: (store) => store.deleteManaged(k.managed) },
  { name: 'backoff delete', run: (store) => store.deleteBackoff(k.backoff) },
];
