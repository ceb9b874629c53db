import type { EnsureOutcome } from '@certkeeper/policy';
import type { FileStore } from '@certkeeper/store';
import type { Reporter } from '../output/reporter.js';
import { linkLiveNames } from './live-links.js';

/**
 * After a run that kept any certificate (issued, renewed or fresh): bring the store's `live/` names up to date.
 * Every time, not only after an issuance: a name half-switched by a kill, or one that should have moved to a newer
 * certificate when the kill came between storing it and switching, is put right by the next cron run. Nothing is
 * written when every name is right. A failure is a warning: the certificate is stored and deployed.
 */
export async function keepLiveNames(
  store: FileStore,
  results: readonly { readonly outcome: EnsureOutcome }[],
  reporter: Pick<Reporter, 'warn'>,
): Promise<void> {
  if (!results.some(({ outcome }) => outcome.type !== 'failed' && outcome.type !== 'deferred')) return;
  try {
    await linkLiveNames(store.directory, store);
  } catch (error) {
    reporter.warn(
      `could not update the live/ links in ${store.directory}: ${error instanceof Error ? error.message : String(error)}; the next run tries again`,
    );
  }
}
