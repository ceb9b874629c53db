import { assertOrderFitsProfile, profileRulesFor } from '../../profiles/index.js';
import type { ResolvedDeps } from '../engine-deps.js';
import type { OrderState } from '../order-state.js';
import { continueNow, enterPhase, type StepResult } from '../step-result.js';

/**
 * newOrder. The only step that can create something at the CA that the state does not know yet: if the process
 * dies after the CA answered and before the state was saved, re-running it orders again. Everything after it is
 * keyed by the stored order URL, so resuming costs no new order.
 */
export async function createOrder(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const { client, clock, logger, signal } = deps;
  const directory = await client.directory(signal);
  // Refuse locally, before spending a new-order token, what the profile would refuse anyway.
  assertOrderFitsProfile({
    identifiers: state.identifiers,
    profile: state.profile,
    directoryProfiles: directory.meta?.profiles,
    rules: deps.profileRules ?? profileRulesFor(state.directoryUrl),
  });
  const { url, order } = await client.orders.create({
    identifiers: state.identifiers,
    profile: state.profile,
    replaces: state.replaces,
    signal,
  });
  logger.info({ orderId: state.id, orderUrl: url, status: order.status }, 'order created');
  const next = enterPhase(state, 'fetch-authorizations', clock.now(), {
    orderUrl: url,
    orderStatus: order.status,
    finalizeUrl: order.finalize,
    authorizationUrls: order.authorizations,
  });
  return { state: next, next: continueNow };
}
