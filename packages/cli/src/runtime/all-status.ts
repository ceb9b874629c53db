import {
  buildStatusReport,
  type CertificateFileSet,
  type CertificateStatus,
  type StatusReport,
} from '@certkeeper/manager';
import { allCertificates } from '@certkeeper/store';
import { certificateFileSets } from '../daemon/certificate-file-sets.js';
import { liveNamesOnDisk, livePath } from '../deploy/live-links.js';
import { PEM_FILE_NAMES } from '../deploy/write-output.js';
import type { GlobalFlags } from '../settings/global-flags.js';
import type { Settings } from '../settings/settings.js';
import type { Runtime } from './open-runtime.js';
import { statusRequests } from './status-requests.js';

/**
 * The status of every certificate in the store, whatever CA and account ordered it — the configured CA's report
 * (configured certificates first) followed by each other CA's stored ones — unless `--ca` or `--account` narrows
 * it. The top level stays the configured CA's, as before; each certificate says its own CA and account. Files
 * include the store's `live/` name when one points at the certificate.
 */
export async function allStatus(
  settings: Settings,
  runtime: Runtime,
  flags: Pick<GlobalFlags, 'ca' | 'account'>,
): Promise<StatusReport> {
  const stored = new Set<string>();
  for await (const record of allCertificates(runtime.store)) stored.add(record.directoryUrl);
  // --ca names exactly one CA (already resolved into settings.directoryUrl); otherwise every CA in the store.
  const others = flags.ca ? [] : [...stored].filter((url) => url !== settings.directoryUrl);
  const filesOf = certificateFileSets(settings);
  const main = await buildStatusReport({
    options: runtime.managerOptions,
    store: runtime.store,
    requests: statusRequests(settings),
    ...(settings.renewBeforeMs ? { renewBeforeMs: settings.renewBeforeMs } : {}),
    filesOf,
  });
  const certificates = [...main.certificates];
  for (const directoryUrl of others) {
    const { rateLimits: _configured, ...options } = runtime.managerOptions;
    const report = await buildStatusReport({
      options: { ...options, directoryUrl },
      store: runtime.store,
      ...(settings.renewBeforeMs ? { renewBeforeMs: settings.renewBeforeMs } : {}),
      filesOf,
    });
    certificates.push(...report.certificates);
  }
  const accountUrl = flags.account ? await accountFilter(settings, runtime, others) : undefined;
  const kept = accountUrl
    ? certificates.filter((c) => !c.accountUrl || accountUrl.has(c.accountUrl))
    : certificates;
  return { ...main, certificates: await withLiveFiles(settings.storeDirectory, kept) };
}

/** The URLs of the `--account` name at each CA shown. */
async function accountFilter(settings: Settings, runtime: Runtime, others: readonly string[]) {
  const urls = new Set<string>();
  for (const directoryUrl of [settings.directoryUrl, ...others]) {
    const account = await runtime.store.getAccount(directoryUrl, settings.account.name);
    if (account?.accountUrl) urls.add(account.accountUrl);
  }
  return urls;
}

async function withLiveFiles(
  storeDirectory: string,
  certificates: readonly CertificateStatus[],
): Promise<CertificateStatus[]> {
  const keys = certificates.flatMap((c) => (c.key && c.state !== 'missing' ? [c.key] : []));
  const names = await liveNamesOnDisk(storeDirectory, keys);
  return certificates.map((certificate) => {
    const name = certificate.key ? names.get(certificate.key) : undefined;
    if (!name) return certificate;
    const live: CertificateFileSet = {
      role: 'live',
      directory: livePath(storeDirectory, name),
      files: PEM_FILE_NAMES,
    };
    return { ...certificate, files: [live, ...(certificate.files ?? [])] };
  });
}
