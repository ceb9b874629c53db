import type { ChallengeTask } from '@certkeeper/core';
import type { Dns01Solver } from '@certkeeper/dns';

export interface PropagationFigures {
  /** From the end of publish (last record created) to the check that said ready. */
  msLastRecordToReady: number;
  checks: number;
  /** DNS messages per check, in order (the first includes NS discovery; later ones reuse it). */
  queriesPerCheck: number[];
  /** Milliseconds each check took. */
  msPerCheck: number[];
}

/** Builds dns-01 tasks the way the engine does, with distinct values per identifier. */
export function dnsTasks(names: readonly string[], tag: string): ChallengeTask[] {
  return names.map((name, index) => ({
    identifier: { type: 'dns', value: name.replace(/^\*\./, '') },
    wildcard: name.startsWith('*.'),
    type: 'dns-01',
    token: `${tag}-token-${index}`,
    keyAuthorization: `${tag}-token-${index}.thumbprint`,
    dnsTxtValue: `${tag}-digest-${index}`,
    authorizationUrl: `https://ca.test/authz/${tag}/${index}`,
  }));
}

/**
 * Publishes the tasks, then drives checks exactly as a job queue would: run a check, wait until `checkAgainAt`,
 * run the next (or every `pollEveryMs`). Returns the receipts and the figures.
 */
export async function publishAndWait(
  solver: Dns01Solver,
  tasks: readonly ChallengeTask[],
  options: { limitMs?: number; pollEveryMs?: number } = {},
) {
  const limitMs = options.limitMs ?? 30_000;
  const receipts = await solver.publish(tasks, {});
  const published = performance.now();
  const figures: PropagationFigures = {
    msLastRecordToReady: 0,
    checks: 0,
    queriesPerCheck: [],
    msPerCheck: [],
  };
  for (;;) {
    const started = performance.now();
    const result = await solver.checkPropagation(receipts);
    figures.checks += 1;
    figures.queriesPerCheck.push(result.queries);
    figures.msPerCheck.push(Math.round((performance.now() - started) * 10) / 10);
    if (result.status === 'ready') {
      figures.msLastRecordToReady = Math.round(performance.now() - published);
      return { receipts, figures, result };
    }
    if (result.status === 'failed' || performance.now() - published > limitMs) {
      throw new Error(`Propagation did not complete: ${result.detail}`);
    }
    // pollEveryMs ignores the schedule, to measure how fast records really spread (not how often we look).
    const waitMs = options.pollEveryMs ?? Math.max(0, result.checkAgainAt.getTime() - Date.now());
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
