import {
  AcmeClient,
  CertkeeperError,
  ErrorCodes,
  importAccountKey,
  parseIdentifiers,
} from '@certkeeper/core';
import type { EnsureRequest } from '@certkeeper/manager';
import {
  AriService,
  assessFreshness,
  type CertificateRequest,
  certificateKey,
  type EnsureOutcome,
} from '@certkeeper/policy';
import type { CertificateRecord } from '@certkeeper/store';
import type { Deployer } from '../deploy/deployer.js';
import type { Reporter } from '../output/reporter.js';
import type { CertificateSpec } from '../settings/settings.js';
import type { Runtime } from './open-runtime.js';

/** One certificate to keep: configured (with its output and hook), or found in the store. */
export interface WorkItem {
  readonly names: readonly string[];
  readonly spec?: CertificateSpec;
  readonly request: EnsureRequest;
}

export interface ItemResult {
  readonly names: readonly string[];
  readonly outcome: EnsureOutcome;
  readonly deployFailed?: boolean;
}

export interface KeepOptions {
  readonly reporter: Reporter;
  readonly deployer: Deployer;
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /**
   * Report fresh certificates without composing the manager (default true: a cold `renew` stays fast). The daemon
   * passes false so every outcome goes through the manager and its metrics.
   */
  readonly answerFreshLocally?: boolean;
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
  for await (const record of storedCertificates(runtime)) {
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

/**
 * Ensure each item in turn, reporting progress and outcomes and deploying what was issued. First, from the store
 * alone (plus due ARI refreshes), every item is checked with the policy's freshness gate: fresh ones are reported
 * as such without composing the manager or asking the CA anything; if any needs an order, the standalone
 * responder is started before the first one, so a busy port fails before anything is ordered. The manager's
 * coordinator checks freshness again under its lease before ordering ("lock, then re-check").
 */
export async function keepCertificates(
  runtime: Runtime,
  items: readonly WorkItem[],
  options: KeepOptions,
): Promise<ItemResult[]> {
  const { reporter, deployer, signal } = options;
  const onProgress = reporter.progress.bind(reporter);
  const checked = await freshOutcomes(
    runtime,
    items,
    options.force === true,
    reporter.warn.bind(reporter),
    signal,
  );
  const fresh = options.answerFreshLocally === false ? items.map(() => undefined) : checked;
  const manager = fresh.every(Boolean) ? undefined : await runtime.manager();
  manager?.events.on('progress', onProgress);
  try {
    if (manager) await runtime.solvers.standalone?.start();
    const results: ItemResult[] = [];
    for (const [index, item] of items.entries()) {
      if (signal?.aborted) break;
      reporter.begin(item.names);
      let outcome: EnsureOutcome;
      try {
        outcome =
          fresh[index] ??
          (await manager!.ensure({ ...item.request, ...(options.force ? { force: true } : {}) }, signal));
      } catch (error) {
        if (signal?.aborted) break;
        outcome = unexpectedFailure(error);
      }
      reporter.outcome(item.names, outcome);
      let deployFailed = false;
      if (outcome.type === 'issued' || outcome.type === 'renewed') {
        try {
          reporter.deployed(item.names, await deployer.deploy(item.spec, outcome));
        } catch (error) {
          deployFailed = true;
          reporter.deployFailed(item.names, error);
        }
      }
      results.push({ names: item.names, outcome, ...(deployFailed ? { deployFailed } : {}) });
    }
    return results;
  } finally {
    manager?.events.off('progress', onProgress);
  }
}

/** ensure() threw instead of answering (the CA unreachable while registering, a store error): a failure. */
function unexpectedFailure(error: unknown): EnsureOutcome {
  const message = error instanceof Error ? error.message.split('\nNext:')[0]! : String(error);
  return {
    type: 'failed',
    error,
    retryAt: new Date(),
    failures: 1,
    reason: `failed: ${CertkeeperError.isInstance(error) ? `${message} (${error.code})` : message}`,
    joined: false,
  };
}

/**
 * The `fresh` outcome of each item the freshness gate passes (undefined for one that needs work), from stored
 * data: no order, no manager. Refreshes ARI windows on the way (RFC 9773; one renewalInfo request per
 * certificate at most twice a day), so the gate uses the CA's window.
 */
async function freshOutcomes(
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
      const request = requestOf(runtime, account.accountUrl, item.request);
      let stored = await runtime.store.getCertificate(certificateKey(request));
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
      outcomes.push(
        freshness.fresh && stored
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
  const { caBundle, directoryUrl } = runtime.settings;
  const client = new AcmeClient({
    directoryUrl,
    accountKey: await importAccountKey(keyPem),
    accountUrl,
    ...(caBundle ? { caBundle: [caBundle] } : {}),
  });
  return { client, service: new AriService({ client, store: runtime.store }) };
}

function requestOf(runtime: Runtime, accountUrl: string, request: EnsureRequest): CertificateRequest {
  return {
    directoryUrl: runtime.settings.directoryUrl,
    accountUrl,
    identifiers: parseIdentifiers(request.identifiers).map(({ type, value }) => ({ type, value })),
    keyType: request.keyType ?? runtime.settings.keyType,
    ...(request.profile ? { profile: request.profile } : {}),
  };
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

async function* storedCertificates(runtime: Runtime): AsyncGenerator<CertificateRecord> {
  let afterKey: string | undefined;
  for (;;) {
    const page = await runtime.store.listCertificates({ ...(afterKey ? { afterKey } : {}), limit: 500 });
    yield* page;
    if (page.length < 500) return;
    afterKey = page[page.length - 1]!.key;
  }
}

/** Guard used by `issue`: the names must parse before anything else happens. */
export function checkNames(names: readonly string[]): void {
  if (names.length === 0)
    throw new CertkeeperError(ErrorCodes.INVALID_IDENTIFIER, 'No names were given.', {
      hint: 'certkeeper issue example.com www.example.com',
    });
  parseIdentifiers(names);
}
