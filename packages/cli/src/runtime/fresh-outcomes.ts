import { AcmeClient, importAccountKey } from '@certkeeper/core';
import {
  AriService,
  assessFreshness,
  certificateKey,
  type EnsureOutcome,
  finishedOrderMaterial,
} from '@certkeeper/policy';
import type { CertificateRecord } from '@certkeeper/store';
import type { Runtime } from './open-runtime.js';
import { requestOf } from './stored-request.js';
import type { WorkItem } from './work-items.js';

/**
 * The `fresh` outcome of each item the freshness gate passes (undefined for one that needs work), from stored
 * data: no order, no manager. Refreshes ARI windows on the way (RFC 9773; one renewalInfo request per
 * certificate at most twice a day), so the gate uses the CA's window.
 */
export async function freshOutcomes(
  runtime: Runtime,
  items: readonly WorkItem[],
  force: boolean,
  warn: (message: string) => void,
  signal?: AbortSignal,
): Promise<(EnsureOutcome | undefined)[]> {
  const none = items.map(() => undefined);
  if (force) return none;
  const account = await runtime.store.getAccount(
    runtime.settings.directoryUrl,
    runtime.settings.account.name,
  );
  if (!account?.accountUrl) return none;
  let ari: { service: AriService; client: AcmeClient } | undefined;
  const outcomes: (EnsureOutcome | undefined)[] = [];
  try {
    for (const item of items) {
      if (signal?.aborted) break;
      // A CSR's key digest: a stored certificate for another key (or one of certkeeper's own) is not fresh.
      const request = {
        ...requestOf(runtime, account.accountUrl, item.request),
        ...(item.csr ? { csr: item.csr } : {}),
      };
      const key = certificateKey(request);
      let stored = await runtime.store.getCertificate(key);
      if (stored?.ariCertId) {
        ari ??= await ariService(runtime, account.keyPem, account.accountUrl);
        const record: CertificateRecord = stored;
        stored = await ari.service.refresh(record).catch((error: unknown) => {
          // Without a fresh window the stored one (or the lifetime rule) still decides: warn, do not fail.
          warn(
            `renewalInfo for ${item.names.join(', ')} could not be refreshed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); using the stored window or the lifetime rule.`,
          );
          return record;
        });
      }
      const freshness = assessFreshness(request, stored, new Date());
      // A run killed between storing a certificate and removing its finished order left the commit unfinished: the
      // manager finishes it (ledger, order removed) and reports the issuance, so the certificate gets deployed.
      const left = await runtime.store.getOrder(key);
      const unfinished = left !== undefined && finishedOrderMaterial(left.state) !== undefined;
      outcomes.push(
        freshness.fresh && stored && !unfinished
          ? {
              type: 'fresh',
              certificate: stored,
              nextCheckAt: freshness.nextCheckAt,
              reason: freshness.explanation,
              joined: false,
            }
          : undefined,
      );
    }
  } finally {
    await ari?.client.close();
  }
  return items.map((_, index) => outcomes[index]);
}

async function ariService(runtime: Runtime, keyPem: string, accountUrl: string) {
  const { caBundle, directoryUrl, allowInsecureHttp } = runtime.settings;
  // Not the manager's clientOptionsOf: that would load @certkeeper/manager on the cold path of a fresh `renew`.
  const client = new AcmeClient({
    directoryUrl,
    accountKey: await importAccountKey(keyPem),
    accountUrl,
    ...(caBundle ? { caBundle: [caBundle] } : {}),
    ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
  });
  return { client, service: new AriService({ client, store: runtime.store }) };
}
