import { AcmeProblemError } from '../../errors/acme-problem-error.js';
import type { ChallengeSolver, PublicationReceipt } from '../challenge-solver.js';
import type { ResolvedDeps } from '../engine-deps.js';
import type { OrderState } from '../order-state.js';
import { enterPhase, type StepResult } from '../step-result.js';
import { authorizationOf, solverFor } from './publish.js';

/**
 * Remove exactly what was published and, when the order is being abandoned, deactivate its still-pending
 * authorizations. Runs on success and failure alike. Cleanup failures are logged, not thrown: a stale TXT record
 * must not hide the certificate that was issued or the reason the order failed.
 */
export async function cleanup(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  await removePublished(state, deps);
  if (state.failure) {
    await Promise.all(
      state.authorizations
        .filter((entry) => entry.status === 'pending')
        .map(async (entry) => {
          try {
            await deps.client.authorizations.deactivate(entry.url);
          } catch (error) {
            // Already deactivated, expired or invalid: nothing left to release.
            if (!AcmeProblemError.isInstance(error))
              deps.logger.warn({ url: entry.url, error: String(error) }, 'deactivation failed');
          }
        }),
    );
    // Authorizations we never looked at (failure before fetch-authorizations finished) are pending too.
    const known = new Set(state.authorizations.map((entry) => entry.url));
    await Promise.all(
      state.authorizationUrls
        .filter((url) => !known.has(url))
        .map((url) => deps.client.authorizations.deactivate(url).catch(() => undefined)),
    );
  }
  const now = deps.clock.now();
  if (state.failure)
    return {
      state: enterPhase(state, 'failed', now, { receipts: [] }),
      next: { type: 'failed', failure: state.failure },
    };
  return { state: enterPhase(state, 'done', now, { receipts: [] }), next: { type: 'done' } };
}

/**
 * Ask each solver to remove what `receipts` (default: all of the state's) name (grouped by solver: one that answers two types, such as
 * dns-account-01 and dns-01, cleans up in one call). Never throws: a failure is logged, because a stale response
 * must not hide the certificate that was issued or the reason the order failed.
 */
export async function removePublished(
  state: OrderState,
  deps: ResolvedDeps,
  receipts: readonly PublicationReceipt[] = state.receipts,
): Promise<void> {
  const bySolver = new Map<ChallengeSolver, PublicationReceipt[]>();
  for (const receipt of receipts) {
    try {
      const solver = solverFor(deps, receipt.type, authorizationOf(state, receipt));
      bySolver.set(solver, [...(bySolver.get(solver) ?? []), receipt]);
    } catch (error) {
      deps.logger.warn(
        { orderId: state.id, type: receipt.type, error: String(error) },
        'cleanup of published responses failed',
      );
    }
  }
  // Cleanup runs with its own lifetime, not the caller's signal: a cancelled order must still tidy up.
  await Promise.all(
    [...bySolver].map(async ([solver, receipts]) => {
      try {
        await solver.cleanup(receipts, {});
      } catch (error) {
        deps.logger.warn(
          {
            orderId: state.id,
            type: [...new Set(receipts.map((r) => r.type))].join('/'),
            error: String(error),
          },
          'cleanup of published responses failed',
        );
      }
    }),
  );
}
