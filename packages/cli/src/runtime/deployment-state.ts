import { processSecretRedactor } from '@certkeeper/core';
import type { CertificateRecord, ManagedCertificateRecord, Store } from '@certkeeper/store';
import { outputHolds } from '../deploy/write-output.js';
import { CONFIG_RECIPE } from './recipe.js';
import type { WorkItem } from './work-items.js';

/** An item has somewhere to deploy to: an output directory, or a hook (its own or `defaults.deployHook`). */
export function deploysTo(item: WorkItem, defaultHook: readonly string[] | undefined): boolean {
  return Boolean(item.spec?.output || item.spec?.deployHook || defaultHook);
}

/**
 * Whether the stored certificate still has to be deployed although nothing was issued now: the last deployment
 * recorded was for another serial or failed (a kill before the hook, a hook that failed), or the output
 * directory does not serve it (a kill inside a switch, files replaced by hand). Without any record (certificates
 * deployed before deployments were recorded) only the output directory decides, so an upgrade does not re-run
 * every hook once.
 */
export async function deploymentBehind(
  item: WorkItem,
  certificate: CertificateRecord,
  managed: ManagedCertificateRecord | undefined,
): Promise<boolean> {
  const deployment = managed?.deployment;
  if (deployment && (deployment.serialNumberHex !== certificate.serialNumberHex || !deployment.ok))
    return true;
  const output = item.spec?.output;
  return output ? !(await outputHolds(output, certificate)) : false;
}

/**
 * Write the certificate's managed record: the item's recipe (an `issue` recipe, or the config's marker; an existing
 * one is kept when the item brings none), and the deployment when one was attempted. Last writer wins, which is
 * right: every writer saw the stored certificate it deployed.
 */
export async function rememberCertificate(
  store: Store,
  item: WorkItem,
  certificate: Pick<CertificateRecord, 'key' | 'directoryUrl' | 'identifiers' | 'serialNumberHex'>,
  deployment?: { readonly event: 'issued' | 'renewed' } & (
    | { readonly ok: true }
    | { readonly ok: false; readonly error: unknown }
  ),
): Promise<void> {
  const existing = await store.getManaged(certificate.key);
  const now = new Date().toISOString();
  const sameSerial = existing?.deployment?.serialNumberHex === certificate.serialNumberHex;
  const record: ManagedCertificateRecord = {
    key: certificate.key,
    directoryUrl: certificate.directoryUrl,
    identifiers: certificate.identifiers,
    recipe:
      (item.recipe as Readonly<Record<string, unknown>> | undefined) ?? existing?.recipe ?? CONFIG_RECIPE,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    ...(deployment
      ? {
          deployment: {
            serialNumberHex: certificate.serialNumberHex,
            at: now,
            ok: deployment.ok,
            event: deployment.event,
            attempts: deployment.ok ? 0 : (sameSerial ? (existing?.deployment?.attempts ?? 0) : 0) + 1,
            ...('error' in deployment ? { error: failureText(deployment.error) } : {}),
          },
        }
      : existing?.deployment
        ? { deployment: existing.deployment }
        : {}),
  };
  await store.putManaged(record);
}

/** The first line of a deploy failure, scrubbed of every registered secret (a hook's output can echo one). */
function failureText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return processSecretRedactor().redact(message.split('\n')[0]!).slice(0, 500);
}

/**
 * What a deployment tells its hook (CERTKEEPER_EVENT): the outcome when one was just issued; for a repair, what the
 * failed or interrupted deployment of the same certificate was, else `renewed` after an earlier deployment.
 */
export function deploymentEvent(
  outcome: 'issued' | 'renewed' | 'fresh',
  certificate: Pick<CertificateRecord, 'serialNumberHex'>,
  managed: ManagedCertificateRecord | undefined,
): 'issued' | 'renewed' {
  if (outcome !== 'fresh') return outcome;
  const last = managed?.deployment;
  if (last?.serialNumberHex === certificate.serialNumberHex && last.event) return last.event;
  return last ? 'renewed' : 'issued';
}
