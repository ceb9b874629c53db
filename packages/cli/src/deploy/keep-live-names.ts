import type { EnsureOutcome } from '@certkeeper/policy';
import { certificateDirectoryName, type FileStore } from '@certkeeper/store';
import type { Reporter } from '../output/reporter.js';
import { linkLiveNames, readLiveLinks } from './live-links.js';

/**
 * After a run: bring the store's `live/` names up to date when a certificate was issued or renewed, or one kept
 * has no `live/` name yet (a store from before them). A fresh cron run with every name in place only lists `live/`.
 * A failure is a warning: the certificate is stored and deployed; the next run links it.
 */
export async function keepLiveNames(
  store: FileStore,
  results: readonly { readonly outcome: EnsureOutcome }[],
  reporter: Pick<Reporter, 'warn'>,
): Promise<void> {
  try {
    const kept = results.flatMap(({ outcome }) =>
      outcome.type === 'failed' || outcome.type === 'deferred' ? [] : [outcome],
    );
    if (kept.length === 0) return;
    const changed = kept.some((outcome) => outcome.type === 'issued' || outcome.type === 'renewed');
    const linked = new Set((await readLiveLinks(store.directory)).values());
    if (!changed && kept.every(({ certificate }) => linked.has(certificateDirectoryName(certificate.key))))
      return;
    await linkLiveNames(store.directory, store);
  } catch (error) {
    reporter.warn(
      `could not update the live/ links in ${store.directory}: ${error instanceof Error ? error.message : String(error)}; the next run tries again`,
    );
  }
}
