import type { CertificateView } from '../api/status-document.js';

/** What a certificate needs from a person, worst first: the state a row is coloured and counted by. */
export type Condition = 'failing' | 'expired' | 'revoked' | 'missing' | 'due' | 'valid';
export const CONDITIONS: readonly Condition[] = ['failing', 'expired', 'revoked', 'missing', 'due', 'valid'];

export type SortKey = 'expiry' | 'renewal' | 'names';
export type ConditionFilter = 'all' | 'attention' | Condition;

export interface Filters {
  readonly query: string;
  readonly condition: ConditionFilter;
  readonly sort: SortKey;
}

export const DEFAULT_FILTERS: Filters = { query: '', condition: 'all', sort: 'expiry' };

/** A certificate with what filtering and sorting read, computed once per status document. */
export interface Row {
  readonly certificate: CertificateView;
  readonly condition: Condition;
  readonly text: string;
  readonly expiry: number;
  readonly renewal: number;
}

export function conditionOf(certificate: CertificateView): Condition {
  const deployFailed = certificate.deployment !== undefined && !certificate.deployment.ok;
  if (certificate.lastError || deployFailed || (certificate.backoff && certificate.state !== 'valid'))
    return 'failing';
  return certificate.state;
}

export function rowsOf(certificates: readonly CertificateView[]): Row[] {
  return certificates.map((certificate) => ({
    certificate,
    condition: conditionOf(certificate),
    text: `${certificate.identifiers.join(' ')} ${certificate.issuer ?? ''} ${certificate.profile ?? ''}`.toLowerCase(),
    // Never issued sorts first: it needs attention before anything that expires.
    expiry: certificate.notAfter ? Date.parse(certificate.notAfter) : Number.NEGATIVE_INFINITY,
    renewal: certificate.renewal ? Date.parse(certificate.renewal.at) : Number.NEGATIVE_INFINITY,
  }));
}

/** The rows a person asked for: every word of the query in the names, issuer or profile; the condition; sorted. */
export function select(rows: readonly Row[], filters: Filters): Row[] {
  const words = filters.query.toLowerCase().split(/\s+/).filter(Boolean);
  const selected = rows.filter(
    (row) =>
      (filters.condition === 'all' ||
        (filters.condition === 'attention'
          ? row.condition !== 'valid'
          : row.condition === filters.condition)) &&
      words.every((word) => row.text.includes(word)),
  );
  const by =
    filters.sort === 'names'
      ? (a: Row, b: Row) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)
      : filters.sort === 'renewal'
        ? (a: Row, b: Row) => a.renewal - b.renewal || a.expiry - b.expiry
        : (a: Row, b: Row) => a.expiry - b.expiry || a.renewal - b.renewal;
  return selected.sort(by);
}

export function countByCondition(rows: readonly Row[]): Record<Condition, number> {
  const counts = Object.fromEntries(CONDITIONS.map((condition) => [condition, 0])) as Record<
    Condition,
    number
  >;
  for (const row of rows) counts[row.condition] += 1;
  return counts;
}

/** Filters to and from the page's query string, so a filtered view can be bookmarked and shared. */
export function filtersFromQuery(search: string): Filters {
  const params = new URLSearchParams(search);
  const condition = params.get('show') ?? 'all';
  const sort = params.get('sort') ?? 'expiry';
  return {
    query: params.get('q') ?? '',
    condition: (['all', 'attention', ...CONDITIONS] as string[]).includes(condition)
      ? (condition as ConditionFilter)
      : 'all',
    sort: (['expiry', 'renewal', 'names'] as string[]).includes(sort) ? (sort as SortKey) : 'expiry',
  };
}

export function queryOf(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.query) params.set('q', filters.query);
  if (filters.condition !== 'all') params.set('show', filters.condition);
  if (filters.sort !== 'expiry') params.set('sort', filters.sort);
  const text = params.toString();
  return text ? `?${text}` : '';
}
