import { ErrorCodes } from '../../errors/codes.js';
import { formatIdentifier } from '../../identifiers/identifier.js';
import type { Authorization } from '../../resources/authorizations.js';
import { dnsTxtValue, keyAuthorization } from '../../resources/challenges.js';
import { dnsAccountLabel } from '../../resources/dns-account-label.js';
import { solverCanProve, solverTypes } from '../challenge-capability.js';
import type { ResolvedDeps } from '../engine-deps.js';
import type { AuthorizationState, OrderState, SelectedChallenge } from '../order-state.js';
import { continueNow, enterPhase, failOrder, type StepResult } from '../step-result.js';

/** Read every authorization and choose, for each pending one, the challenge the configured solvers will answer. */
export async function fetchAuthorizations(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const { client, clock, signal } = deps;
  const fetched = await Promise.all(
    state.authorizationUrls.map((url) => client.authorizations.get(url, signal)),
  );
  const authorizations: AuthorizationState[] = [];
  for (const { url, authorization } of fetched) {
    const wildcard = authorization.wildcard === true;
    const challenge =
      authorization.status === 'pending' ? await selectChallenge(authorization, state, deps) : undefined;
    authorizations.push({
      url,
      identifier: authorization.identifier,
      wildcard,
      status: authorization.status,
      ...(challenge ? { challenge } : {}),
      answered: authorization.status === 'valid',
    });
  }
  // Keep what was learnt even when failing: cleanup deactivates exactly the pending ones.
  const known = { authorizations };
  const now = clock.now();
  const unusable = fetched.find(
    ({ authorization }) => authorization.status !== 'pending' && authorization.status !== 'valid',
  );
  if (unusable) {
    const { authorization } = unusable;
    return failOrder(
      { ...state, ...known },
      {
        code: ErrorCodes.AUTHORIZATION_FAILED,
        message: `The authorization for ${formatIdentifier(authorization.identifier)} is ${authorization.status} before any challenge was answered.`,
        identifier: authorization.identifier,
      },
      now,
    );
  }
  const unsolvable = authorizations.find((entry) => entry.status === 'pending' && !entry.challenge);
  if (unsolvable) {
    const offered =
      fetched
        .find((f) => f.url === unsolvable.url)
        ?.authorization.challenges.map((c) => c.type)
        .join(', ') || 'none';
    return failOrder(
      { ...state, ...known },
      {
        code: ErrorCodes.NO_SOLVER,
        message: `No configured solver can answer for ${unsolvable.wildcard ? '*.' : ''}${formatIdentifier(unsolvable.identifier)}: the CA offers ${offered}; configured: ${deps.solvers.map((s) => solverTypes(s).join('/')).join(', ') || 'none'}.`,
        identifier: unsolvable.identifier,
      },
      now,
    );
  }
  const allValid = authorizations.every((entry) => entry.status === 'valid');
  const next = enterPhase(state, allValid ? 'finalize' : 'publish', now, known);
  return { state: next, next: continueNow };
}

/**
 * Solvers in their configured order, and within a solver its types in its order of preference: a DNS solver with
 * dns-persist-01 or dns-account-01 enabled takes it where the CA offers it and falls back to dns-01 where it does not.
 */
async function selectChallenge(
  authorization: Authorization,
  state: OrderState,
  deps: ResolvedDeps,
): Promise<SelectedChallenge | undefined> {
  const wildcard = authorization.wildcard === true;
  for (const solver of deps.solvers) {
    for (const type of solverTypes(solver)) {
      const offered = authorization.challenges.find((c) => c.type === type && c.status === 'pending');
      if (!offered || !solverCanProve(solver, authorization.identifier, wildcard, type)) continue;
      if (type === 'dns-persist-01') {
        // No token: the standing record names the CA and the account (draft-ietf-acme-dns-persist-00 §3).
        const issuerDomainNames = offered['issuer-domain-names'] ?? [];
        if (issuerDomainNames.length === 0) continue;
        return {
          type,
          url: offered.url,
          token: '',
          keyAuthorization: '',
          dnsPersist: { issuerDomainNames: [...issuerDomainNames], accountUri: state.accountUrl },
        };
      }
      if (!offered.token) continue;
      const keyAuth = await keyAuthorization(offered.token, deps.client.accountKey);
      const dns = type === 'dns-01' || type === 'dns-account-01';
      return {
        type,
        url: offered.url,
        token: offered.token,
        keyAuthorization: keyAuth,
        ...(dns ? { dnsTxtValue: dnsTxtValue(keyAuth) } : {}),
        // The CA hashes the URL of the account that answers the challenge: the order's account (runStep checks
        // that the client signs as it).
        ...(type === 'dns-account-01' ? { dnsAccountLabel: dnsAccountLabel(state.accountUrl) } : {}),
      };
    }
  }
  return undefined;
}
