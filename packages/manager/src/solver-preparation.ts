import { type ChallengeSolver, type Identifier, solverCanProve } from '@certkeeper/core';

/**
 * `prepare` of each solver that may answer for one of the identifiers (the standalone responder binds its port);
 * what to call to give it all back. Called only by a run that orders, so a herd waiting on one order binds nothing.
 */
export async function prepareSolvers(
  solvers: readonly ChallengeSolver[],
  identifiers: readonly Identifier[],
  signal: AbortSignal | undefined,
): Promise<Array<() => Promise<void>>> {
  const releases: Array<() => Promise<void>> = [];
  try {
    for (const solver of solvers) {
      if (!solver.prepare) continue;
      const useful = identifiers.some((identifier) => {
        const wildcard = identifier.value.startsWith('*.');
        const base = wildcard ? { ...identifier, value: identifier.value.slice(2) } : identifier;
        return solverCanProve(solver, base, wildcard);
      });
      if (useful) releases.push(await solver.prepare(signal ? { signal } : {}));
    }
  } catch (error) {
    await releaseSolvers(releases);
    throw error;
  }
  return releases;
}

/** Give back what `prepareSolvers` took, last first; a release that fails does not stop the others. */
export async function releaseSolvers(releases: Array<() => Promise<void>>): Promise<void> {
  for (const release of releases.reverse()) await release().catch(() => undefined);
}
