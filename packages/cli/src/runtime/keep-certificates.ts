import { CertkeeperError, faultOf } from '@certkeeper/core';
import type { EnsureOutcome } from '@certkeeper/policy';
import type { Deployer } from '../deploy/deployer.js';
import type { Reporter } from '../output/reporter.js';
import { freshOutcomes } from './fresh-outcomes.js';
import type { Runtime } from './open-runtime.js';
import type { WorkItem } from './work-items.js';

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
  const { signal } = options;
  const results: ItemResult[] = [];
  try {
    await keepEach(runtime, items, options, results);
  } catch (error) {
    // Stopped by the caller's signal on the way (checking freshness, composing the manager, starting the
    // responder): what finished is the answer; the caller says what was kept.
    if (!signal?.aborted) throw error;
  }
  return results;
}

async function keepEach(
  runtime: Runtime,
  items: readonly WorkItem[],
  options: KeepOptions,
  results: ItemResult[],
): Promise<void> {
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
    if (manager) for (const responder of runtime.solvers.responders) await responder.start();
    for (const [index, item] of items.entries()) {
      if (signal?.aborted) break;
      reporter.begin(item.names);
      let outcome: EnsureOutcome;
      try {
        outcome =
          fresh[index] ??
          (await manager!.ensure({ ...item.request, ...(options.force ? { force: true } : {}) }, { signal }));
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
    fault: faultOf(error),
    retryAt: new Date(),
    failures: 0,
    reason: `failed: ${CertkeeperError.isInstance(error) ? `${message} (${error.code})` : message}`,
    joined: false,
  };
}
