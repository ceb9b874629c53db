import type { EnsureOutcome } from '@certkeeper/policy';
import { type CertificateRecord, certificateDirectoryName, type FileStore } from '@certkeeper/store';
import type { Reporter } from '../output/reporter.js';
import { linkLiveNames, liveEntries, readLiveLinks } from './live-links.js';
import { liveBaseName } from './live-names.js';

/**
 * After a run that kept any certificate: bring the store's `live/` names up to date when a certificate was issued
 * or renewed, a name is half-switched (a kill), or a kept certificate is shown by no name while no newer one of its
 * first name, CA and account is — a kill between storing a newer certificate and moving its name to it. A fresh
 * cron run with everything in place reads `live/` and writes nothing. A failure is a warning: the certificate is
 * stored and deployed; the next run links it.
 */
export async function keepLiveNames(
  store: FileStore,
  results: readonly { readonly outcome: EnsureOutcome }[],
  reporter: Pick<Reporter, 'warn'>,
): Promise<void> {
  const kept = results.flatMap(({ outcome }) =>
    outcome.type === 'failed' || outcome.type === 'deferred' ? [] : [outcome],
  );
  if (kept.length === 0) return;
  try {
    const changed = kept.some((outcome) => outcome.type === 'issued' || outcome.type === 'renewed');
    if (
      !changed &&
      (await inPlace(
        store.directory,
        kept.map((outcome) => outcome.certificate),
      ))
    )
      return;
    await linkLiveNames(store.directory, store);
  } catch (error) {
    reporter.warn(
      `could not update the live/ links in ${store.directory}: ${error instanceof Error ? error.message : String(error)}; the next run tries again`,
    );
  }
}

async function inPlace(storeDirectory: string, certificates: readonly CertificateRecord[]): Promise<boolean> {
  const links = await readLiveLinks(storeDirectory);
  if ((await liveEntries(storeDirectory)).length !== links.size) return false;
  const linked = new Set(links.values());
  const base = (c: CertificateRecord) => liveBaseName(c.identifiers[0]?.value ?? '');
  return certificates.every(
    (certificate) =>
      linked.has(certificateDirectoryName(certificate.key)) ||
      certificates.some(
        (newer) =>
          linked.has(certificateDirectoryName(newer.key)) &&
          base(newer) === base(certificate) &&
          newer.directoryUrl === certificate.directoryUrl &&
          newer.accountUrl === certificate.accountUrl &&
          Date.parse(newer.notBefore) > Date.parse(certificate.notBefore),
      ),
  );
}
