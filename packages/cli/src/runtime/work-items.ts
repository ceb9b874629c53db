import type { EnsureRequest } from '@certkeeper/manager';
import { certificateKey } from '@certkeeper/policy';
import { allCertificates } from '@certkeeper/store';
import type { CertificateSpec } from '../settings/settings.js';
import type { Runtime } from './open-runtime.js';
import { requestOf } from './stored-request.js';

/** One certificate to keep: configured (with its output and hook), or found in the store. */
export interface WorkItem {
  readonly names: readonly string[];
  readonly spec?: CertificateSpec;
  readonly request: EnsureRequest;
}

export function itemOf(spec: CertificateSpec): WorkItem {
  return {
    names: spec.names,
    spec,
    request: {
      identifiers: spec.names,
      keyType: spec.keyType,
      ...(spec.profile ? { profile: spec.profile } : {}),
    },
  };
}

/**
 * The configured certificates, then every other stored certificate of this CA and account (one issued with
 * `issue`), as `renew` and `run` keep them — certbot's habit: what was issued is renewed.
 */
export async function workItems(runtime: Runtime, specs: readonly CertificateSpec[]): Promise<WorkItem[]> {
  const items = specs.map(itemOf);
  const accountUrl = await storedAccountUrl(runtime);
  if (!accountUrl) return items;
  const configured = new Set(items.map((item) => keyOf(runtime, accountUrl, item.request)));
  for await (const record of allCertificates(runtime.store)) {
    if (configured.has(record.key)) continue;
    if (record.directoryUrl !== runtime.settings.directoryUrl || record.accountUrl !== accountUrl) continue;
    items.push({
      names: record.identifiers.map((identifier) => identifier.value),
      request: {
        identifiers: record.identifiers,
        keyType: record.keyType,
        ...(record.profile ? { profile: record.profile } : {}),
      },
    });
  }
  return items;
}

function keyOf(runtime: Runtime, accountUrl: string, request: EnsureRequest): string {
  return certificateKey(requestOf(runtime, accountUrl, request));
}

async function storedAccountUrl(runtime: Runtime): Promise<string | undefined> {
  const account = await runtime.store.getAccount(
    runtime.settings.directoryUrl,
    runtime.settings.account.name,
  );
  return account?.accountUrl || undefined;
}
