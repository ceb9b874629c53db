import { assertOrderFitsProfile, profileRulesFor } from '../../profiles/index.js';
import type { OrderWithUrl } from '../../resources/orders.js';
import type { ResolvedDeps } from '../engine-deps.js';
import { findPlacedOrder } from '../find-placed-order.js';
import {
  DEFAULT_NEW_ORDER_DEADLINE_MS,
  freshIntent,
  isOwnIntent,
  mayBeInFlight,
  newOrderOutcomeUnknown,
  unknownOutcomeIntent,
} from '../order-intent.js';
import type { OrderState } from '../order-state.js';
import type { StepOptions } from '../step-options.js';
import { continueNow, enterPhase, type StepResult, waitInPhase } from '../step-result.js';

/**
 * newOrder — the only request that creates something at the CA the state does not know yet. It is guarded by an
 * intent stored first, so a crash anywhere leaves a state that says what may have happened:
 *
 * 1. No intent: record one and return (nothing is sent). The caller persists it before the next step runs.
 * 2. Our own intent (same `worker`): place the order, bounded by a deadline. A refusal (a 4xx problem) is thrown
 *    with the state unchanged; an unknown result (network, deadline, 5xx, cancelled mid-request) is returned as
 *    such, to be persisted like any state.
 * 3. Another worker's intent, or an unknown result: that newOrder may have created an order. While it may still be
 *    on its way (before `settlesAt`, unless the caller is `exclusive`), wait. Then adopt the matching pending or
 *    ready order from the account's orders list (RFC 8555 §7.1.2.1); only if there is none (or no list, as at
 *    Let's Encrypt) place a new one.
 */
export async function createOrder(
  state: OrderState,
  deps: ResolvedDeps,
  options: StepOptions,
): Promise<StepResult> {
  const now = deps.clock.now();
  const intent = state.orderIntent;
  if (!intent) {
    const recorded = freshIntent(now, options.worker, newOrderDeadline(deps));
    return { state: { ...state, orderIntent: recorded, updatedAt: now.toISOString() }, next: continueNow };
  }
  if (isOwnIntent(intent, now, options)) return placeOrder(state, deps, options);
  if (mayBeInFlight(intent, now, options)) {
    const until = new Date(intent.settlesAt);
    const whose = intent.outcomeUnknown
      ? 'the result of newOrder is unknown'
      : `another worker${intent.worker ? ` (${intent.worker})` : ''} may be placing this order since ${intent.at}`;
    return waitInPhase(
      state,
      until,
      now,
      `${whose}; looking for it in the account's orders list at ${until.toISOString()}`,
    );
  }
  const search = await findPlacedOrder(state, deps);
  if (search.order) {
    deps.logger.info(
      { orderId: state.id, orderUrl: search.order.url, intentAt: intent.at },
      'adopted the order a lost newOrder created',
    );
    return ordered(state, search.order, deps);
  }
  deps.logger.info({ orderId: state.id, intentAt: intent.at, why: search.why }, 'no order to adopt');
  // With a worker id, record our own intent first, so two workers resuming one settled intent place one order
  // (the compare-and-set write of the intent picks one). An anonymous caller cannot own an intent: it places now.
  if (options.worker === undefined) return placeOrder(state, deps, options);
  const recorded = freshIntent(now, options.worker, newOrderDeadline(deps));
  return { state: { ...state, orderIntent: recorded, updatedAt: now.toISOString() }, next: continueNow };
}

async function placeOrder(state: OrderState, deps: ResolvedDeps, options: StepOptions): Promise<StepResult> {
  const { client, clock, logger, signal } = deps;
  const directory = await client.directory(signal);
  // Refuse locally, before spending a new-order token, what the profile would refuse anyway.
  assertOrderFitsProfile({
    identifiers: state.identifiers,
    profile: state.profile,
    directoryProfiles: directory.meta?.profiles,
    rules: deps.profileRules ?? profileRulesFor(state.directoryUrl),
  });
  const deadline = AbortSignal.timeout(newOrderDeadline(deps));
  let created: OrderWithUrl;
  try {
    created = await client.orders.create({
      identifiers: state.identifiers,
      profile: state.profile,
      replaces: state.replaces,
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
  } catch (error) {
    // Cancelled mid-request: the CA may have the order. Say so in the state the caller persists, not by throwing.
    const cancelled = signal?.aborted === true;
    if (!cancelled && !deadline.aborted && !newOrderOutcomeUnknown(error)) throw error;
    const at = clock.now();
    const intent = unknownOutcomeIntent(at, options.worker);
    const why = cancelled
      ? 'cancelled while waiting for the answer'
      : deadline.aborted
        ? 'no answer before the deadline'
        : describe(error);
    logger.warn({ orderId: state.id, why }, 'newOrder may or may not have created an order');
    return waitInPhase(
      state,
      new Date(intent.settlesAt),
      at,
      `the result of newOrder is unknown (${why}); looking for the order in the account's orders list at ${intent.settlesAt}`,
      { orderIntent: intent },
    );
  }
  logger.info({ orderId: state.id, orderUrl: created.url, status: created.order.status }, 'order created');
  return ordered(state, created, deps);
}

/** The order is known: its URL is what every later step is keyed by, and the intent has served its purpose. */
function ordered(state: OrderState, { url, order }: OrderWithUrl, deps: ResolvedDeps): StepResult {
  const next = enterPhase(state, 'fetch-authorizations', deps.clock.now(), {
    orderIntent: undefined,
    orderUrl: url,
    orderStatus: order.status,
    finalizeUrl: order.finalize,
    authorizationUrls: order.authorizations,
  });
  return { state: next, next: continueNow };
}

function newOrderDeadline(deps: ResolvedDeps): number {
  return deps.newOrderDeadlineMs ?? DEFAULT_NEW_ORDER_DEADLINE_MS;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
