import { describe, expect, it } from 'vitest';
import type { CertificateView } from '../api/status-document.js';
import { countByCondition, filtersFromQuery, queryOf, rowsOf, select } from './certificate-rows.js';

const certificate = (names: string[], extra: Partial<CertificateView>): CertificateView => ({
  identifiers: names,
  configured: true,
  state: 'valid',
  budgets: [],
  ...extra,
});

const rows = rowsOf([
  certificate(['b.example.test'], { notAfter: '2027-03-01T00:00:00Z' }),
  certificate(['a.example.test', 'www.a.example.test'], { notAfter: '2027-01-01T00:00:00Z' }),
  certificate(['never.test'], { state: 'missing' }),
  certificate(['broken.example.test'], {
    notAfter: '2027-02-01T00:00:00Z',
    lastError: { reason: 'dns', failures: 2, at: '2026-12-01T00:00:00Z' },
  }),
  certificate(['hook.test'], {
    notAfter: '2027-02-02T00:00:00Z',
    deployment: { at: '2026-12-01T00:00:00Z', ok: false, attempts: 1, current: true },
  }),
]);
const names = (selected: ReturnType<typeof select>) => selected.map((row) => row.certificate.identifiers[0]);

describe('certificate rows', () => {
  it('sorts by expiry with never-issued first, and counts conditions (a failed deployment is failing)', () => {
    expect(names(select(rows, { query: '', condition: 'all', sort: 'expiry' }))).toEqual([
      'never.test',
      'a.example.test',
      'broken.example.test',
      'hook.test',
      'b.example.test',
    ]);
    expect(countByCondition(rows)).toMatchObject({ valid: 2, missing: 1, failing: 2 });
  });

  it('filters by every word of the query and by condition', () => {
    expect(names(select(rows, { query: 'WWW example', condition: 'all', sort: 'names' }))).toEqual([
      'a.example.test',
    ]);
    expect(names(select(rows, { query: '', condition: 'attention', sort: 'names' }))).toEqual([
      'broken.example.test',
      'hook.test',
      'never.test',
    ]);
    expect(names(select(rows, { query: 'example', condition: 'failing', sort: 'names' }))).toEqual([
      'broken.example.test',
    ]);
  });

  it('round-trips filters through the query string and ignores nonsense', () => {
    const filters = { query: 'shop', condition: 'failing', sort: 'renewal' } as const;
    expect(filtersFromQuery(queryOf(filters))).toEqual(filters);
    expect(filtersFromQuery('?show=<script>&sort=x')).toEqual({
      query: '',
      condition: 'all',
      sort: 'expiry',
    });
  });
});
