import type { CertificateRecord } from './records.js';
import type { Store } from './store.js';

/** Every stored certificate, read a page at a time (a store of 10 000 is never held in one answer). */
export async function* allCertificates(store: Store, pageSize = 500): AsyncGenerator<CertificateRecord> {
  let afterKey: string | undefined;
  for (;;) {
    const page = await store.listCertificates({ ...(afterKey ? { afterKey } : {}), limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    afterKey = page[page.length - 1]!.key;
  }
}
