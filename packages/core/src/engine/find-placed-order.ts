import { AcmeProblemError } from '../errors/acme-problem-error.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { identifierSetKey } from '../identifiers/identifier.js';
import type { Order, OrderWithUrl } from '../resources/orders.js';
import type { ResolvedDeps } from './engine-deps.js';
import type { OrderState } from './order-state.js';

/** Orders fetched at most to find the one a lost newOrder created, newest listed first. */
const MAX_INSPECTED = 20;

export type PlacedOrderSearch =
  | { readonly order: OrderWithUrl; readonly inspected: number }
  | { readonly order?: undefined; readonly why: string };

/**
 * Find the order a newOrder of this state may have created without the state learning its URL (a crash, a lost
 * answer): a `pending` or `ready` order of the account's orders list (RFC 8555 §7.1.2.1) for the same
 * identifiers, and the same profile and `replaces` where the CA echoes them. Only pending and ready orders: one
 * that is processing or valid was finalized with someone's CSR, never ours (ours had no URL to finalize).
 *
 * The list is read newest first as Pebble orders it (appended), at most {@link MAX_INSPECTED} orders fetched.
 */
export async function findPlacedOrder(state: OrderState, deps: ResolvedDeps): Promise<PlacedOrderSearch> {
  const { client, signal } = deps;
  const listed = await client.accounts.orders(undefined, signal).catch((error: unknown) => {
    // A list that is not ACME is no list: placing the order is what a CA without one gets too.
    if (CertkeeperError.isInstance(error) && error.code === ErrorCodes.PROTOCOL) return error;
    throw error;
  });
  if (!listed) return { why: 'the CA offers no orders list for the account' };
  if (listed instanceof Error) return { why: `the account's orders list is unusable: ${listed.message}` };
  const candidates = [...listed.urls].reverse().slice(0, MAX_INSPECTED);
  for (const [index, url] of candidates.entries()) {
    const found = await fetchOrder(url, deps);
    if (found && orderMatches(found.order, state)) return { order: found, inspected: index + 1 };
  }
  const cut = listed.complete ? '' : ' (the list was longer than certkeeper reads)';
  const beyond =
    listed.urls.length > MAX_INSPECTED ? `, the newest ${MAX_INSPECTED} of ${listed.urls.length} read` : '';
  return {
    why: `no pending or ready order for these identifiers among the account's ${listed.urls.length} listed${beyond}${cut}`,
  };
}

/** RFC 8555 §7.1.3 fields that tell one order from another: status, identifiers, profile, replaces. */
export function orderMatches(
  order: Pick<Order, 'status' | 'identifiers' | 'profile' | 'replaces'>,
  state: Pick<OrderState, 'identifiers' | 'profile' | 'replaces'>,
): boolean {
  if (order.status !== 'pending' && order.status !== 'ready') return false;
  const identifiers: unknown = order.identifiers;
  if (!Array.isArray(identifiers) || identifiers.length === 0 || !identifiers.every(isIdentifier))
    return false;
  if (identifierSetKey(order.identifiers) !== identifierSetKey(state.identifiers)) return false;
  // A CA that picks a profile itself when none was asked (Pebble 2.10 picks one at random) echoes it: only a
  // profile we asked for has to match.
  if (state.profile && order.profile && order.profile !== state.profile) return false;
  if ((order.replaces ?? state.replaces) !== state.replaces) return false;
  return true;
}

function isIdentifier(value: unknown): boolean {
  const candidate = value as { type?: unknown; value?: unknown } | null;
  return typeof candidate?.type === 'string' && typeof candidate.value === 'string';
}

/** One listed order; undefined when the CA refuses it (gone, not ours) or answers something that is not an order. */
async function fetchOrder(url: string, deps: ResolvedDeps): Promise<OrderWithUrl | undefined> {
  try {
    return await deps.client.orders.get(url, deps.signal);
  } catch (error) {
    const refused = AcmeProblemError.isInstance(error) && error.status !== undefined && error.status < 500;
    const garbled = CertkeeperError.isInstance(error) && error.code === ErrorCodes.PROTOCOL;
    if (refused || garbled) return undefined;
    throw error;
  }
}
