import assert from 'node:assert/strict';
import type { CertificateRecord, DueQuery, Store } from '@certkeeper/store';
import { certificateRecord, unique } from './fixtures.js';
import type { StoreConformanceCase } from './store-case.js';

const day = 86_400_000;
/** The sweep's moment in these cases. */
const by = '2026-12-20T00:00:00.000Z';

/** A certificate of `lifetimeDays` from 2026-11-01, with or without renewalInfo. */
function dated(
  key: string,
  lifetimeDays: number,
  renewalInfo?: { chosenAt: string; refreshAt: string },
  extra: Partial<CertificateRecord> = {},
): CertificateRecord {
  const base = certificateRecord(key);
  // Without renewalInfo, without an ARI id too: an ARI id whose window was never fetched is due at once.
  const { renewalInfo: _, ariCertId: __, ...withoutInfo } = base;
  return {
    ...withoutInfo,
    notBefore: '2026-11-01T00:00:00.000Z',
    notAfter: new Date(Date.parse('2026-11-01T00:00:00.000Z') + lifetimeDays * day).toISOString(),
    ...(renewalInfo
      ? {
          ariCertId: base.ariCertId,
          renewalInfo: {
            ...base.renewalInfo!,
            windowStart: renewalInfo.chosenAt,
            windowEnd: renewalInfo.chosenAt,
            ...renewalInfo,
          },
        }
      : {}),
    ...extra,
  };
}

/** Every due key under `prefix`, paging `limit` at a time from the prefix; asserts each page's size and order. */
async function dueUnder(
  store: Store,
  prefix: string,
  query: Omit<DueQuery, 'afterKey' | 'limit'>,
  limit: number,
) {
  const seen: string[] = [];
  let afterKey = prefix;
  for (;;) {
    const page = await store.listDueCertificates({ ...query, afterKey, limit });
    assert.ok(page.length <= limit, `a page with limit ${limit} held ${page.length} records`);
    const keys = page.map((record) => record.key);
    assert.deepEqual(keys, [...keys].sort(), 'a page of due certificates is not in key order');
    const ours = keys.filter((key) => key.startsWith(`${prefix}/`));
    seen.push(...ours);
    if (ours.length < page.length || page.length < limit) return seen;
    afterKey = keys.at(-1)!;
  }
}

export const dueCases: readonly StoreConformanceCase[] = [
  {
    id: 'due-certificates',
    title:
      'listDueCertificates answers exactly the due ones: revoked, past half the lifetime, past the ARI moment or refresh, expiring within renewBefore',
    async run({ store }) {
      const prefix = unique('due');
      const records = [
        // Half of 90 days is 2026-12-16: due.
        dated(`${prefix}/half-life`, 90),
        // Half of 180 days is 2027-01-30: not due, but due with renewBefore 140 days (expiry 2027-04-30).
        dated(`${prefix}/long`, 180),
        // ARI moment 2027-01-01, refresh 2026-12-25: not due (ARI replaces the lifetime rule).
        dated(`${prefix}/ari-later`, 365, {
          chosenAt: '2027-01-01T00:00:00.000Z',
          refreshAt: '2026-12-25T00:00:00.000Z',
        }),
        // ARI moment passed: due.
        dated(`${prefix}/ari-passed`, 90, {
          chosenAt: '2026-12-19T00:00:00.000Z',
          refreshAt: '2027-01-01T00:00:00.000Z',
        }),
        // renewalInfo to fetch again: due.
        dated(`${prefix}/ari-refresh`, 90, {
          chosenAt: '2027-01-10T00:00:00.000Z',
          refreshAt: '2026-12-19T23:59:59.000Z',
        }),
        // Revoked: due whatever its dates.
        dated(`${prefix}/revoked`, 365, undefined, { revokedAt: '2026-11-02T00:00:00.000Z' }),
        // Exactly at the moment: due.
        dated(`${prefix}/at-by`, 98),
        // An ARI id whose window was never fetched: due, so the sweep fetches it.
        dated(`${prefix}/ari-unfetched`, 365, undefined, {
          ariCertId: 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyF',
        }),
      ];
      await Promise.all(records.map((record) => store.putCertificate(record)));
      const expected = ['ari-passed', 'ari-refresh', 'ari-unfetched', 'at-by', 'half-life', 'revoked'].map(
        (n) => `${prefix}/${n}`,
      );
      assert.deepEqual(await dueUnder(store, prefix, { by }, 1000), expected);
      assert.deepEqual(
        await dueUnder(store, prefix, { by, renewBeforeMs: 140 * day }, 1000),
        [...expected, `${prefix}/long`].sort(),
        'renewBefore makes a certificate expiring within it due',
      );
      const [first] = await store.listDueCertificates({ by, afterKey: prefix, limit: 1 });
      assert.deepEqual(first, records[3], 'listed records carry every field');
      assert.deepEqual(
        await dueUnder(store, prefix, { by: '2026-11-15T00:00:00.000Z' }, 1000),
        [`${prefix}/ari-unfetched`, `${prefix}/revoked`],
        'before any date only the revoked one and the unfetched ARI window are due',
      );
    },
  },
  {
    id: 'due-certificates-follow-writes',
    title:
      'listDueCertificates follows replacements and deletes at once (a renewal leaves the due list, a new ARI moment joins it)',
    async run({ store }) {
      const prefix = unique('due-writes');
      const renewed = `${prefix}/renewed`;
      const moved = `${prefix}/moved`;
      const removed = `${prefix}/removed`;
      await store.putCertificate(dated(renewed, 90));
      await store.putCertificate(
        dated(moved, 90, { chosenAt: '2027-01-05T00:00:00.000Z', refreshAt: '2027-01-05T00:00:00.000Z' }),
      );
      await store.putCertificate(dated(removed, 30));
      assert.deepEqual(await dueUnder(store, prefix, { by }, 1000), [removed, renewed]);
      // Renewed: a new certificate from 2026-12-19 is fresh at `by`.
      await store.putCertificate({
        ...dated(renewed, 90),
        notBefore: '2026-12-19T00:00:00.000Z',
        notAfter: '2027-03-19T00:00:00.000Z',
      });
      // The CA moved the ARI window earlier (a mass revocation ahead).
      await store.putCertificate(
        dated(moved, 90, { chosenAt: '2026-12-18T00:00:00.000Z', refreshAt: '2026-12-21T00:00:00.000Z' }),
      );
      await store.deleteCertificate(removed);
      assert.deepEqual(await dueUnder(store, prefix, { by }, 1000), [moved]);
    },
  },
  {
    id: 'due-certificates-paging',
    title:
      'listDueCertificates pages in key order, `limit` at a time, each due certificate once, none of the others',
    async run({ store }) {
      const prefix = unique('due-paging');
      // 40 certificates in scrambled order, every third one due: pages must skip the fresh ones and stay full.
      const keys = Array.from(
        { length: 40 },
        (_, i) => `${prefix}/${String((i * 17) % 40).padStart(2, '0')}`,
      );
      const isDueKey = (key: string) => Number(key.slice(-2)) % 3 === 0;
      await Promise.all(keys.map((key) => store.putCertificate(dated(key, isDueKey(key) ? 30 : 365))));
      const expected = keys.filter(isDueKey).sort();
      assert.deepEqual(await dueUnder(store, prefix, { by }, 4), expected);
      assert.deepEqual(await dueUnder(store, prefix, { by }, 1), expected);
    },
  },
];
