import assert from 'node:assert/strict';
import type { LedgerEvent } from '@certkeeper/store';
import { ledgerEvent, unique } from './fixtures.js';
import type { StoreConformanceCase } from './store-case.js';

/** A time `days` and `hours` after midnight UTC six days ago: recent, so no retention rule drops it. */
function at(days: number, hours: number): string {
  const base = Math.floor(Date.now() / 86_400_000 - 6) * 86_400_000;
  return new Date(base + days * 86_400_000 + hours * 3_600_000).toISOString();
}

const details = (events: readonly LedgerEvent[]) => events.map((event) => event.detail);

export const ledgerCases: readonly StoreConformanceCase[] = [
  {
    id: 'ledger-query',
    title: 'the ledger returns events at or after `since`, oldest first, matching every filter',
    async run({ store }) {
      const directoryUrl = `https://${unique('ca')}.test/directory`;
      const acct2 = 'https://ca.example.test/acct/2';
      const other = {
        identifierSet: 'dns:other.test',
        identifiers: [{ type: 'dns' as const, value: 'other.test' }],
      };
      // Appended out of time order, across several days: the store orders by `at`, not by arrival.
      const events: LedgerEvent[] = [
        ledgerEvent(directoryUrl, { at: at(3, 12), detail: 'e3' }),
        ledgerEvent(directoryUrl, { at: at(1, 12), detail: 'e1', kind: 'certificate' }),
        ledgerEvent(directoryUrl, { at: at(-12, 12), detail: 'old' }),
        ledgerEvent(directoryUrl, { at: at(2, 0), detail: 'e2', accountUrl: acct2 }),
        ledgerEvent(directoryUrl, {
          at: at(4, 8),
          detail: 'e4',
          kind: 'rate-limited',
          limit: 'certificatesPerDomain',
          retryAfter: at(5, 0),
          ...other,
        }),
        ledgerEvent(directoryUrl, {
          at: at(4, 9),
          detail: 'e5',
          kind: 'authorization-failure',
          identifier: { type: 'dns', value: 'example.test' },
        }),
        ledgerEvent(directoryUrl, { at: at(4, 10), detail: 'e6', exempt: true }),
        ledgerEvent(`https://${unique('other-ca')}.test/directory`, { at: at(3, 0), detail: 'x' }),
      ];
      for (const event of events) await store.appendLedger(event);
      const since = at(1, 12);
      const all = await store.queryLedger({ directoryUrl, since });
      assert.deepEqual(
        details(all),
        ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'],
        '`since` is inclusive, order is by time',
      );
      assert.deepEqual(all[3], events[4], 'events come back with every field');
      assert.deepEqual(details(await store.queryLedger({ directoryUrl, since, kinds: ['new-order'] })), [
        'e2',
        'e3',
        'e6',
      ]);
      assert.deepEqual(
        details(await store.queryLedger({ directoryUrl, since, kinds: ['certificate', 'rate-limited'] })),
        ['e1', 'e4'],
      );
      assert.deepEqual(details(await store.queryLedger({ directoryUrl, since, accountUrl: acct2 })), ['e2']);
      assert.deepEqual(
        details(await store.queryLedger({ directoryUrl, since, identifierSet: 'dns:other.test' })),
        ['e4'],
      );
      assert.deepEqual(
        details(
          await store.queryLedger({
            directoryUrl,
            since,
            kinds: ['new-order', 'authorization-failure'],
            accountUrl: 'https://ca.example.test/acct/1',
            identifierSet: 'dns:example.test',
          }),
        ),
        ['e3', 'e5', 'e6'],
      );
      assert.deepEqual(
        details(await store.queryLedger({ directoryUrl, since, kinds: ['new-order'], newest: 2 })),
        ['e3', 'e6'],
        '`newest` keeps the newest matches, oldest first',
      );
      assert.deepEqual(details(await store.queryLedger({ directoryUrl, since, newest: 10 })), details(all));
      assert.deepEqual(await store.queryLedger({ directoryUrl, since, newest: 0 }), []);
      assert.deepEqual(await store.queryLedger({ directoryUrl, since: at(5, 0) }), []);
      assert.deepEqual(details(await store.queryLedger({ directoryUrl, since: at(-300, 0) }))[0], 'old');
      const read = await store.queryLedger({ directoryUrl, since });
      (read[0]!.identifiers as unknown[]).length = 0;
      assert.equal(
        (await store.queryLedger({ directoryUrl, since }))[0]!.identifiers.length,
        1,
        'copies are detached',
      );
    },
  },
];
