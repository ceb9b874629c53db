import type { Identifier } from '../identifiers/identifier.js';
import type { ChallengeSolver, ChallengeType } from './challenge-solver.js';

/**
 * Which identifiers a challenge type can prove control of, by the RFCs:
 * - RFC 8555 §7.1.3 / §8.4: a wildcard can only be validated by dns-01 and the DNS types that follow it
 *   (draft-ietf-acme-dns-account-label's dns-account-01 proves DNS names and wildcards exactly like dns-01;
 *   draft-ietf-acme-dns-persist's dns-persist-01 too — a wildcard only with `policy=wildcard` in its record);
 * - RFC 8738 §7: IP addresses by http-01 (§8.3) and tls-alpn-01 (RFC 8737 §3 via RFC 8738 §6), never by the DNS
 *   types.
 */
const provable: Readonly<Record<ChallengeType, { dns: boolean; wildcard: boolean; ip: boolean }>> = {
  'http-01': { dns: true, wildcard: false, ip: true },
  'tls-alpn-01': { dns: true, wildcard: false, ip: true },
  'dns-01': { dns: true, wildcard: true, ip: false },
  'dns-account-01': { dns: true, wildcard: true, ip: false },
  'dns-persist-01': { dns: true, wildcard: true, ip: false },
};

/** Whether a challenge of `type` can prove `identifier` (its base name, with `wildcard` for `*.` orders). */
export function challengeCanProve(type: ChallengeType, identifier: Identifier, wildcard: boolean): boolean {
  const can = provable[type];
  if (!can) return false;
  if (identifier.type === 'ip') return can.ip && !wildcard;
  return wildcard ? can.wildcard : can.dns;
}

/** The challenge types that can prove `identifier`, for messages ("needs dns-01"). */
export function challengeTypesFor(identifier: Identifier, wildcard: boolean): ChallengeType[] {
  return (Object.keys(provable) as ChallengeType[]).filter((type) =>
    challengeCanProve(type, identifier, wildcard),
  );
}

/** The challenge types `solver` answers, most preferred first (`types`, else its one `type`). */
export function solverTypes(solver: ChallengeSolver): readonly ChallengeType[] {
  return solver.types && solver.types.length > 0 ? solver.types : [solver.type];
}

/**
 * Whether `solver` can answer for `identifier` with `type` (default: with any of its types): the challenge type
 * must be able to prove it (the RFC rule above, whatever the solver claims), and the solver must accept it
 * (`supports`, when it has one — a webroot that serves only some names, for instance). `identifier` is the
 * authorization's base name; `wildcard` says it is `*.`.
 */
export function solverCanProve(
  solver: ChallengeSolver,
  identifier: Identifier,
  wildcard: boolean,
  type?: ChallengeType,
): boolean {
  const types = type ? solverTypes(solver).filter((candidate) => candidate === type) : solverTypes(solver);
  if (!types.some((candidate) => challengeCanProve(candidate, identifier, wildcard))) return false;
  return solver.supports ? solver.supports(identifier, wildcard) : true;
}
