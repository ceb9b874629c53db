import type { Identifier } from '../identifiers/identifier.js';
import { challengeCanProve, solverTypes } from './challenge-capability.js';
import type { ChallengeSolver } from './challenge-solver.js';

/** A solver and the domains it answers for (none: every name no scoped solver claims). */
export interface ScopedSolverEntry {
  readonly solver: ChallengeSolver;
  /** `example.com` covers it and every name below it (`www.example.com`, `*.example.com`); an IP covers itself. */
  readonly domains?: readonly string[];
}

/**
 * Solvers chosen per name, as certbot's `-w` per `-d` and cert-manager's `dnsZones` selectors do: a name goes to
 * the solver whose domain matches it most specifically (the longest), among those whose challenge type can prove
 * it at all (a wildcard under a webroot's domain still goes to a DNS solver); a solver without domains takes every
 * name no scoped solver can take. The answer lives in each solver's `supports`, which the engine already consults
 * when it picks a challenge, decides whom to `prepare` and groups tasks. Without any domains the solvers are
 * returned unchanged.
 */
export function scopeSolvers(entries: readonly ScopedSolverEntry[]): ChallengeSolver[] {
  if (!entries.some((entry) => entry.domains && entry.domains.length > 0))
    return entries.map((entry) => entry.solver);
  const scopes = entries.map((entry) => (entry.domains ?? []).map(normaliseDomain));
  const canProve = (index: number, identifier: Identifier, wildcard: boolean) =>
    solverTypes(entries[index]!.solver).some((type) => challengeCanProve(type, identifier, wildcard));
  /** How specifically solver `index` claims the name: the length of its longest matching domain; -1 for none. */
  const claim = (index: number, identifier: Identifier): number =>
    Math.max(-1, ...scopes[index]!.filter((domain) => covers(domain, identifier)).map((d) => d.length));
  const supports = (index: number, identifier: Identifier, wildcard: boolean): boolean => {
    const best = Math.max(
      -1,
      ...entries.map((_, other) => (canProve(other, identifier, wildcard) ? claim(other, identifier) : -1)),
    );
    // Nobody scoped claims it: the unscoped solvers share it. Otherwise only the most specific claimants.
    return best < 0 ? scopes[index]!.length === 0 : claim(index, identifier) === best;
  };
  return entries.map(({ solver }, index) =>
    delegate(solver, (identifier, wildcard) => supports(index, identifier, wildcard)),
  );
}

/** A `domains` entry as it is matched: lower case, without a `*.` prefix or a trailing dot. */
export function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
}

function covers(domain: string, identifier: Identifier): boolean {
  const name = identifier.value.toLowerCase().replace(/\.$/, '');
  if (identifier.type === 'ip') return name === domain;
  return name === domain || name.endsWith(`.${domain}`);
}

/** The solver itself, with its own `supports` narrowed by `scope`; every other call goes straight to it. */
function delegate(
  solver: ChallengeSolver,
  scope: (identifier: Identifier, wildcard: boolean) => boolean,
): ChallengeSolver {
  return {
    type: solver.type,
    ...(solver.types ? { types: solver.types } : {}),
    ...(solver.volatile ? { volatile: solver.volatile } : {}),
    ...(solver.prepare ? { prepare: (context) => solver.prepare!(context) } : {}),
    supports: (identifier, wildcard) =>
      (solver.supports ? solver.supports(identifier, wildcard) : true) && scope(identifier, wildcard),
    publish: (tasks, context) => solver.publish(tasks, context),
    ...(solver.checkReady
      ? { checkReady: (receipts, context) => solver.checkReady!(receipts, context) }
      : {}),
    cleanup: (receipts, context) => solver.cleanup(receipts, context),
  };
}
