import { loadAsn1 } from '../../crypto/x509.js';
import { AcmeProblemError } from '../../errors/acme-problem-error.js';
import { firstPollTime, type ResolvedDeps } from '../engine-deps.js';
import type { AuthorizationState, OrderState } from '../order-state.js';
import { enterPhase, type StepResult } from '../step-result.js';
import { groupTasks } from './publish.js';

/**
 * Tell the CA every response is in place (POST `{}` to each chosen challenge), all at once, only after every
 * response was published and is visible. A challenge already answered — in the state, or at the CA when a
 * crash lost the state's record of it — is not answered again.
 */
export async function answerChallenges(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  for (const [solver, tasks] of groupTasks(
    state,
    deps,
    (entry) => entry.status === 'pending' && !entry.answered,
  )) {
    if (solver.volatile) await solver.publish(tasks, { signal: deps.signal });
  }
  const answers = await Promise.all(state.authorizations.map((entry) => answer(entry, deps)));
  const authorizations = answers.map((a) => a.entry);
  const now = deps.clock.now();
  // The CSR at finalize and the issued chain's reading need the ASN.1 libraries (tens of ms to load in a cold
  // process): load them now, while the CA validates, rather than after. The first poll stays timed from the
  // answers; a failure to load is the CSR's to report, where it is awaited.
  loadAsn1().catch(() => undefined);
  const next = enterPhase(state, 'await-validation', now, { authorizations });
  // The first poll when the CA said (the latest Retry-After of the answers), else when the CA is likely done. Timed
  // from the answers' arrival (`now`), not from when the work started after them ends.
  const retryAfter = Math.max(0, ...answers.map((a) => a.retryAfter?.getTime() ?? 0));
  const firstPoll = firstPollTime(deps, 'validation', now, retryAfter > 0 ? new Date(retryAfter) : undefined);
  return {
    state: { ...next, nextActionAt: firstPoll.toISOString() },
    next: { type: 'wait', until: firstPoll, reason: 'the CA is validating' },
  };
}

async function answer(
  entry: AuthorizationState,
  deps: ResolvedDeps,
): Promise<{ entry: AuthorizationState; retryAfter?: Date }> {
  if (entry.answered || entry.status !== 'pending' || !entry.challenge) return { entry };
  let retryAfter: Date | undefined;
  try {
    ({ retryAfter } = await deps.client.challenges.respond(entry.challenge.url, deps.signal));
  } catch (error) {
    // A challenge already processing or valid (answered before a crash) is refused by some CAs: check the
    // authorization before treating it as a failure.
    if (!AcmeProblemError.isInstance(error) || error.status !== 400) throw error;
    const { authorization } = await deps.client.authorizations.get(entry.url, deps.signal);
    const challenge = authorization.challenges.find((c) => c.url === entry.challenge?.url);
    if (authorization.status === 'pending' && challenge?.status === 'pending') throw error;
  }
  return { entry: { ...entry, answered: true }, ...(retryAfter ? { retryAfter } : {}) };
}
