import { CertkeeperError } from '../../errors/certkeeper-error.js';
import { ErrorCodes } from '../../errors/codes.js';
import { solverCanProve, solverTypes } from '../challenge-capability.js';
import type {
  ChallengeSolver,
  ChallengeTask,
  ChallengeType,
  PublicationReceipt,
} from '../challenge-solver.js';
import type { ResolvedDeps } from '../engine-deps.js';
import type { AuthorizationState, OrderState } from '../order-state.js';
import { continueNow, enterPhase, failOrder, type StepResult } from '../step-result.js';

/**
 * Publish every challenge response of the order before any is answered: each solver gets all of its tasks in
 * one call, so a DNS solver creates every TXT record and then one propagation wait covers them all (seed 000).
 * Solvers' publish is idempotent, so re-running this step after a crash is harmless.
 */
export async function publish(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const tasksBySolver = groupTasks(state, deps, (entry) => entry.status === 'pending');
  const receipts: PublicationReceipt[] = [...state.receipts];
  for (const [solver, tasks] of tasksBySolver) {
    try {
      const published = await solver.publish(tasks, { signal: deps.signal });
      for (const receipt of published) {
        const index = receipts.findIndex((r) => r.authorizationUrl === receipt.authorizationUrl);
        if (index >= 0) receipts[index] = receipt;
        else receipts.push(receipt);
      }
    } catch (error) {
      // The solver removed what it created in this call; earlier solvers' receipts are cleaned up next.
      return failOrder(
        { ...state, receipts },
        {
          code: CertkeeperError.isInstance(error) ? error.code : ErrorCodes.SOLVER_FAILED,
          message: `Publishing ${[...new Set(tasks.map((task) => task.type))].join('/')} responses failed: ${error instanceof Error ? error.message : String(error)}`,
        },
        deps.clock.now(),
      );
    }
  }
  deps.logger.info({ orderId: state.id, published: receipts.length }, 'challenge responses published');
  return { state: enterPhase(state, 'await-readiness', deps.clock.now(), { receipts }), next: continueNow };
}

/**
 * The challenge tasks of the order's authorizations that pass `include`, grouped by the solver that answers them,
 * in the order the solvers are configured (so publishing order is deterministic, whatever order the CA lists
 * authorizations in).
 */
export function groupTasks(
  state: OrderState,
  deps: ResolvedDeps,
  include: (entry: AuthorizationState) => boolean,
): Map<ChallengeSolver, ChallengeTask[]> {
  const tasksBySolver = new Map<ChallengeSolver, ChallengeTask[]>(deps.solvers.map((solver) => [solver, []]));
  for (const entry of state.authorizations) {
    if (!entry.challenge || !include(entry)) continue;
    const solver = solverFor(deps, entry.challenge.type, entry);
    const tasks = tasksBySolver.get(solver) ?? [];
    tasks.push({
      identifier: entry.identifier,
      wildcard: entry.wildcard,
      type: entry.challenge.type,
      token: entry.challenge.token,
      keyAuthorization: entry.challenge.keyAuthorization,
      dnsTxtValue: entry.challenge.dnsTxtValue,
      ...(entry.challenge.dnsAccountLabel ? { dnsAccountLabel: entry.challenge.dnsAccountLabel } : {}),
      ...(entry.challenge.dnsPersist ? { dnsPersist: entry.challenge.dnsPersist } : {}),
      authorizationUrl: entry.url,
    });
    tasksBySolver.set(solver, tasks);
  }
  for (const [solver, tasks] of tasksBySolver) if (tasks.length === 0) tasksBySolver.delete(solver);
  return tasksBySolver;
}

/**
 * Receipts grouped by the solver that wrote them, so a solver answering two types (dns-account-01 and dns-01)
 * checks and cleans up all of its records in one call: one propagation wait for the whole order.
 */
export function receiptsBySolver(
  state: OrderState,
  receipts: readonly PublicationReceipt[],
  deps: ResolvedDeps,
): Map<ChallengeSolver, PublicationReceipt[]> {
  const bySolver = new Map<ChallengeSolver, PublicationReceipt[]>();
  for (const receipt of receipts) {
    const solver = solverFor(deps, receipt.type, authorizationOf(state, receipt));
    bySolver.set(solver, [...(bySolver.get(solver) ?? []), receipt]);
  }
  return bySolver;
}

/**
 * The configured solver answering `type` (one solver may answer several types: dns-account-01 and dns-01) — for
 * `entry`'s name when given, so that of two solvers of one type scoped to different domains (scopeSolvers) each
 * name reaches its own.
 */
export function solverFor(
  deps: ResolvedDeps,
  type: string,
  entry?: Pick<AuthorizationState, 'identifier' | 'wildcard'>,
): ChallengeSolver {
  const answers = (candidate: ChallengeSolver) =>
    solverTypes(candidate).some((answered) => answered === type);
  const solver =
    (entry &&
      deps.solvers.find(
        (candidate) =>
          answers(candidate) &&
          solverCanProve(candidate, entry.identifier, entry.wildcard, type as ChallengeType),
      )) ??
    deps.solvers.find(answers);
  if (!solver) {
    throw new CertkeeperError(
      ErrorCodes.NO_SOLVER,
      `The order needs a ${type} solver, but none is configured in this process.`,
      {
        hint: `resume the order with the same solvers it started with (it chose ${type}).`,
      },
    );
  }
  return solver;
}

/** The authorization a receipt answers, for its name. */
export function authorizationOf(
  state: OrderState,
  receipt: PublicationReceipt,
): AuthorizationState | undefined {
  return state.authorizations.find((entry) => entry.url === receipt.authorizationUrl);
}
