import { CertkeeperError, faultOf } from '@certkeeper/core';
import type { CertificateManager } from '@certkeeper/manager';
import type { EnsureOutcome } from '@certkeeper/policy';
import type { Deployer } from '../deploy/deployer.js';
import { keepLiveNames } from '../deploy/keep-live-names.js';
import type { Reporter } from '../output/reporter.js';
import { DEFAULT_CONCURRENCY } from '../settings/concurrency.js';
import type { SolverSpec } from '../settings/settings.js';
import { deploymentBehind, deploymentEvent, deploysTo, rememberCertificate } from './deployment-state.js';
import { freshOutcomes } from './fresh-outcomes.js';
import type { Runtime } from './open-runtime.js';
import type { SweepHooks } from './sweep-hooks.js';
import type { WorkItem } from './work-items.js';

export interface ItemResult {
  readonly names: readonly string[];
  readonly outcome: EnsureOutcome;
  readonly deployFailed?: boolean;
}

/** What a run kept: the results in the items' order, and the items a signal stopped while they were under way. */
export interface KeptCertificates {
  readonly results: ItemResult[];
  readonly stopped: WorkItem[];
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
  /** `--pre-hook`/`--post-hook`: around the orders of this run, when it has any. */
  readonly sweepHooks?: SweepHooks;
  /**
   * How many certificates are worked on at once (default {@link DEFAULT_CONCURRENCY}); one when the reporter does
   * not interleave ({@link Reporter.interleaves}).
   */
  readonly concurrency?: number;
}

/**
 * Ensure the items, up to `concurrency` at once, reporting progress and outcomes and deploying what was issued.
 * First, from the store alone (plus due ARI refreshes), every item is checked with the policy's freshness gate:
 * fresh ones are reported as such without composing the manager or asking the CA anything. The manager's
 * coordinator checks freshness again under the certificate's lease before ordering ("lock, then re-check"), and only
 * then binds the standalone responder's port (the solver's `prepare`): runs of one store coalesce on one order
 * before any of them binds, and a port another program holds still fails before anything is ordered.
 *
 * Certificates in flight together share what the manager holds: one account client (one directory, one nonce pool,
 * one keep-alive connection, the CA's request-rate limiter) and one standalone responder per solver, which serves
 * every order's challenges and binds its port once. Items start in their order; results keep it.
 */
export async function keepCertificates(
  runtime: Runtime,
  items: readonly WorkItem[],
  options: KeepOptions,
): Promise<KeptCertificates> {
  const { signal } = options;
  const slots: (ItemResult | undefined)[] = items.map(() => undefined);
  const started = new Set<number>();
  try {
    await keepAll(runtime, items, options, slots, started);
  } catch (error) {
    // Stopped by the caller's signal on the way (checking freshness, composing the manager, starting the
    // responder): what finished is the answer; the caller says what was kept.
    if (!signal?.aborted) throw error;
  }
  const results = slots.filter((result) => result !== undefined);
  await keepLiveNames(runtime.store, results, options.reporter);
  return {
    results,
    stopped: items.filter((_, index) => started.has(index) && slots[index] === undefined),
  };
}

async function keepAll(
  runtime: Runtime,
  items: readonly WorkItem[],
  options: KeepOptions,
  slots: (ItemResult | undefined)[],
  started: Set<number>,
): Promise<void> {
  const { reporter, signal } = options;
  const onProgress = reporter.progress.bind(reporter);
  const checked = await freshOutcomes(
    runtime,
    items,
    options.force === true,
    reporter.warn.bind(reporter),
    signal,
  );
  const fresh = options.answerFreshLocally === false ? items.map(() => undefined) : checked;
  // Work to do may register a new account: agree to the CA's terms (or ask, or refuse) before any live view draws.
  if (checked.some((outcome) => outcome === undefined)) await runtime.terms?.beforeRegistering(runtime);
  const managers = new Set<CertificateManager>();
  const managerOf = async (specs: readonly SolverSpec[] | undefined) => {
    const { manager } = await runtime.managerFor(specs);
    if (!managers.has(manager)) {
      managers.add(manager);
      manager.events.on('progress', onProgress);
    }
    return manager;
  };
  const keepOne = async (index: number): Promise<ItemResult | undefined> => {
    const item = items[index]!;
    reporter.begin(item.names);
    let outcome: EnsureOutcome;
    try {
      if (item.problem) throw item.problem;
      // Work to do (the freshness gate did not pass it): the pre-hook first, once per run.
      if (checked[index] === undefined) await options.sweepHooks?.beforeOrder(reporter);
      outcome =
        fresh[index] ??
        (await (
          await managerOf(item.solvers)
        ).ensure({ ...item.request, ...(options.force ? { force: true } : {}) }, { signal }));
    } catch (error) {
      if (signal?.aborted) return undefined;
      outcome = unexpectedFailure(error);
    }
    reporter.outcome(item.names, outcome);
    const deployFailed = await deployAfter(runtime, item, outcome, options);
    return { names: item.names, outcome, ...(deployFailed ? { deployFailed } : {}) };
  };
  let next = 0;
  // Each lane takes the next item not started; a signal stops lanes from starting more.
  const lane = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      started.add(index);
      slots[index] = await keepOne(index);
    }
  };
  // A reporter that draws one certificate at a time (the live view) gets them one at a time.
  const concurrency = reporter.interleaves ? (options.concurrency ?? DEFAULT_CONCURRENCY) : 1;
  const lanes = Math.max(1, Math.min(concurrency, items.length));
  try {
    const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    for (const manager of managers) manager.events.off('progress', onProgress);
    // After the last order, also when one failed or the run was interrupted: the web server must come back.
    await options.sweepHooks?.afterOrders(reporter);
  }
}

/**
 * Deploy what was issued, and repair what a fresh certificate's last deployment left behind (a kill inside an
 * output switch, a failed hook): both write the files and run the hook, and are recorded in the managed record
 * with the recipe. True when the deployment failed.
 */
async function deployAfter(
  runtime: Runtime,
  item: WorkItem,
  outcome: EnsureOutcome,
  { reporter, deployer }: KeepOptions,
): Promise<boolean> {
  if (outcome.type === 'failed' || outcome.type === 'deferred') return false;
  const { certificate } = outcome;
  const store = runtime.store;
  const issued = outcome.type === 'issued' || outcome.type === 'renewed';
  let event: 'issued' | 'renewed' = issued ? outcome.type : 'renewed';
  try {
    const managed = await store.getManaged(certificate.key);
    const due =
      deploysTo(item, deployer.defaultHook) &&
      (issued || (await deploymentBehind(item, certificate, managed)));
    if (!due) {
      // A fresh run writes nothing, unless `issue` just brought a recipe the record does not have yet.
      if (item.recipe && JSON.stringify(managed?.recipe) !== JSON.stringify(item.recipe))
        await rememberCertificate(store, item, certificate);
      return false;
    }
    event = deploymentEvent(outcome.type, certificate, managed);
    const result = await deployer.deploy(item.spec, certificate, event);
    await rememberCertificate(store, item, certificate, { ok: true, event });
    reporter.deployed(item.names, issued ? result : { ...result, repaired: true });
    return false;
  } catch (error) {
    // Recorded, so `status` shows it and the next run deploys again; the certificate itself is stored and valid.
    await rememberCertificate(store, item, certificate, { ok: false, error, event }).catch(() => undefined);
    reporter.deployFailed(item.names, error);
    return true;
  }
}

/** ensure() threw instead of answering (the CA unreachable while registering, a store error): a failure. */
function unexpectedFailure(error: unknown): EnsureOutcome {
  const message = error instanceof Error ? error.message.split('\nNext:')[0]! : String(error);
  return {
    type: 'failed',
    error,
    fault: faultOf(error),
    retryAt: new Date(),
    failures: 0,
    reason: `failed: ${CertkeeperError.isInstance(error) ? `${message} (${error.code})` : message}`,
    joined: false,
  };
}
