import type { DueQuery } from './due.js';
import type { CertificateRecord, ManagedCertificateRecord } from './records.js';
import type { Store } from './store.js';

/** Every record of a keyed Store listing, read a page at a time in key order (10 000 are never one answer). */
export async function* keyPages<T extends { readonly key: string }>(
  list: (options: { afterKey?: string; limit: number }) => Promise<T[]>,
  pageSize = 500,
): AsyncGenerator<T> {
  let afterKey: string | undefined;
  for (;;) {
    const page = await list({ ...(afterKey ? { afterKey } : {}), limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    afterKey = page[page.length - 1]!.key;
  }
}

/** Every stored certificate. */
export function allCertificates(store: Store): AsyncGenerator<CertificateRecord> {
  return keyPages((options) => store.listCertificates(options));
}

/** Every certificate due for `query` (the renewal sweep's reading), a page at a time. */
export function dueCertificates(
  store: Store,
  query: Omit<DueQuery, 'afterKey' | 'limit'>,
): AsyncGenerator<CertificateRecord> {
  return keyPages((options) => store.listDueCertificates({ ...query, ...options }));
}

/** Every managed-certificate record (recipes and deployments). */
export function allManaged(store: Store): AsyncGenerator<ManagedCertificateRecord> {
  return keyPages((options) => store.listManaged(options));
}
