import { challengeTypesFor, solverCanProve, solverTypes } from '../engine/challenge-capability.js';
import type { ChallengeSolver } from '../engine/challenge-solver.js';
import type { Identifier } from '../identifiers/identifier.js';
import { contactProblem } from './contact-address.js';
import { PreflightError, type PreflightFinding } from './preflight-error.js';

/** What an order will be placed with, as far as it can be checked without the CA. */
export interface PreflightInput {
  /** Wire-form identifiers (as `parseIdentifiers` returns them; a wildcard is `*.` + its base name). */
  readonly identifiers: readonly Identifier[];
  /** The solvers the order will be answered with. */
  readonly solvers: readonly ChallengeSolver[];
  /** The account's contact URIs (`mailto:…`), when an account may be registered or updated. */
  readonly contact?: readonly string[];
}

// Where each thing is configured: the CLI's config keys and flags, and the library's option.
const ADD_DNS01 =
  'add a dns-01 solver (config: solvers: [{ type: dns-01, provider: <plugin> }]; flag: --dns <plugin>; library: a Dns01Solver in solvers)';
const ADD_HTTP01 =
  'add an http-01 or tls-alpn-01 solver (config: solvers: [{ type: http-01-webroot, webroot: <dir> }], [{ type: http-01-standalone }] or [{ type: tls-alpn-01-standalone }]; flags: --http-webroot <dir>, --http-standalone, --tls-alpn-standalone; library: an http-01 or tls-alpn-01 solver in solvers)';
const ADD_ANY =
  'add a solver (config: solvers; flags: --http-webroot <dir>, --http-standalone, --tls-alpn-standalone or --dns <plugin>; library: solvers)';
const FIX_CONTACT =
  'give one plain address per contact (config: account.email; flag: --email <address>; library: account.contact as mailto:<address>)';

/**
 * Everything that can be known before ordering, checked without any request: every identifier has a configured
 * solver whose challenge type can prove it (a wildcard needs dns-01, an IP address http-01 or tls-alpn-01 — RFC
 * 8555 §7.1.3, RFC 8738 §7), and every contact is a valid `mailto:` URI (RFC 8555 §7.3). Returns every finding, so
 * a caller with many certificates (the CLI) can report them all at once; empty when the order may be placed.
 */
export function preflightFindings(input: PreflightInput): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const identifier of input.identifiers) {
    const finding = solverFinding(identifier, input.solvers);
    if (finding) findings.push(finding);
  }
  for (const contact of input.contact ?? []) {
    const reason = contactProblem(contact);
    if (reason) findings.push({ check: 'contact', subject: contact, reason, fix: FIX_CONTACT });
  }
  return findings;
}

/** {@link preflightFindings}, throwing a {@link PreflightError} listing them all when there is any. */
export function preflight(input: PreflightInput): void {
  const findings = preflightFindings(input);
  if (findings.length > 0) throw new PreflightError(findings);
}

function solverFinding(
  identifier: Identifier,
  solvers: readonly ChallengeSolver[],
): PreflightFinding | undefined {
  const wildcard = identifier.type === 'dns' && identifier.value.startsWith('*.');
  const base: Identifier = wildcard ? { type: 'dns', value: identifier.value.slice(2) } : identifier;
  if (solvers.some((solver) => solverCanProve(solver, base, wildcard))) return undefined;
  const needed = challengeTypesFor(base, wildcard);
  const fix = wildcard ? ADD_DNS01 : identifier.type === 'ip' ? ADD_HTTP01 : ADD_ANY;
  // A solver of a fitting type is configured but refuses the identifier (its `supports` said no).
  const refusing = solvers
    .filter((solver) => solverTypes(solver).some((type) => needed.includes(type)))
    .map((solver) => solver.type);
  if (refusing.length > 0) {
    return {
      check: 'solver',
      subject: identifier.value,
      reason: `the configured ${refusing.join(', ')} solver does not serve it`,
      fix: `configure a solver that serves ${identifier.value}, or ${fix}`,
    };
  }
  const what = wildcard ? 'a wildcard' : identifier.type === 'ip' ? 'an IP address' : 'a name';
  const configured = solvers.length > 0 ? solvers.map((s) => s.type).join(', ') : 'none';
  return {
    check: 'solver',
    subject: identifier.value,
    reason: `${what} can only be proven with ${needed.join(' or ')}; configured solvers: ${configured}`,
    fix,
  };
}
