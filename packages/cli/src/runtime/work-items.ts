import type { EnsureRequest } from '@certkeeper/manager';
import { certificateKey, type RequestCsr } from '@certkeeper/policy';
import { allCertificates, allManaged } from '@certkeeper/store';
import { requestCsrOf } from '../settings/read-csr.js';
import type { CertificateSpec, SolverSpec } from '../settings/settings.js';
import type { Runtime } from './open-runtime.js';
import { type IssueRecipe, issueRecipeOf, recipeSolverSpecs, specOfRecipe } from './recipe.js';
import { requestOf } from './stored-request.js';

/** One certificate to keep: configured (with its output and hook), made by `issue` (its recipe), or found in the store. */
export interface WorkItem {
  readonly names: readonly string[];
  readonly spec?: CertificateSpec;
  readonly request: EnsureRequest;
  /** The solvers to order it with, when not the run's own (an `issue` recipe's). */
  readonly solvers?: readonly SolverSpec[];
  /** The recipe to keep in its managed record (`issue` writes it; a recipe item carries its own). */
  readonly recipe?: IssueRecipe;
  /** Why it cannot be ordered as its recipe says (a DNS solver gone from the config): reported as its failure. */
  readonly problem?: unknown;
  /** The user's own CSR as the freshness gate compares it (its key digest) and the order sends it. */
  readonly csr?: RequestCsr;
}

export function itemOf(spec: CertificateSpec): WorkItem {
  return {
    names: spec.names,
    spec,
    request: {
      identifiers: spec.names,
      keyType: spec.keyType,
      ...(spec.profile ? { profile: spec.profile } : {}),
      ...(spec.renewBeforeMs ? { renewBeforeMs: spec.renewBeforeMs } : {}),
      ...(spec.reuseKey ? { reuseKey: true } : {}),
      ...(spec.csr ? { csr: spec.csr.pem } : {}),
    },
    ...(spec.csr ? { csr: requestCsrOf(spec.csr) } : {}),
  };
}

/** A certificate `issue` made, renewed the way it was made (solvers, output, hook, key type, profile). */
export function itemOfRecipe(runtime: Runtime, recipe: IssueRecipe): WorkItem {
  const item = { ...itemOf(specOfRecipe(recipe)), recipe };
  try {
    return { ...item, solvers: recipeSolverSpecs(recipe, runtime.settings) };
  } catch (problem) {
    return { ...item, problem };
  }
}

/**
 * The configured certificates, then those `issue` made (their recipes), then every other stored certificate of
 * this CA and account, as `renew` and `run` keep them — certbot's habit: what was issued is renewed.
 */
export async function workItems(runtime: Runtime, specs: readonly CertificateSpec[]): Promise<WorkItem[]> {
  const items = await collectItems(runtime, specs);
  // defaults.renewBefore: for every certificate that does not say, those issue made and those found in the store too.
  const { renewBeforeMs } = runtime.settings;
  return renewBeforeMs
    ? items.map((item) =>
        item.request.renewBeforeMs ? item : { ...item, request: { ...item.request, renewBeforeMs } },
      )
    : items;
}

async function collectItems(runtime: Runtime, specs: readonly CertificateSpec[]): Promise<WorkItem[]> {
  const items = specs.map(itemOf);
  const accountUrl = await storedAccountUrl(runtime);
  if (!accountUrl) return items;
  const configured = new Set(items.map((item) => keyOf(runtime, accountUrl, item.request)));
  for await (const record of allManaged(runtime.store)) {
    const recipe = issueRecipeOf(record);
    if (!recipe || configured.has(record.key) || recipe.directoryUrl !== runtime.settings.directoryUrl)
      continue;
    const item = itemOfRecipe(runtime, recipe);
    // Another account's recipe (account.name changed) is that account's to keep.
    if (keyOf(runtime, accountUrl, item.request) !== record.key) continue;
    configured.add(record.key);
    items.push(item);
  }
  for await (const record of allCertificates(runtime.store)) {
    if (configured.has(record.key)) continue;
    // Its key is the user's (a CSR): only its recipe or configured entry, which hold the CSR, can renew it.
    if (record.externalKey) continue;
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

/** The store key of a certificate ordered under `accountUrl` (the account is part of it). */
export function keyOf(runtime: Runtime, accountUrl: string, request: EnsureRequest): string {
  return certificateKey(requestOf(runtime, accountUrl, request));
}

async function storedAccountUrl(runtime: Runtime): Promise<string | undefined> {
  const account = await runtime.store.getAccount(
    runtime.settings.directoryUrl,
    runtime.settings.account.name,
  );
  return account?.accountUrl || undefined;
}
