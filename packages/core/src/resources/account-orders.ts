import { ProtocolError } from '../errors/transport-errors.js';
import type { AcmeResponse } from '../transport/acme-transport.js';
import { type AcmeSession, requireAccountUrl } from './session.js';

export interface AccountOrdersLimits {
  /** Pages followed through `Link: rel="next"` at most (default 50). */
  readonly maxPages?: number;
  /** Order URLs kept at most; the list stops growing there (default 1000). */
  readonly maxOrders?: number;
}

export interface AccountOrders {
  /** Order URLs in the CA's order (Pebble lists oldest first; RFC 8555 names no order). */
  readonly urls: readonly string[];
  /** False when a limit cut the list short: the order looked for may be in the part not read. */
  readonly complete: boolean;
}

/**
 * RFC 8555 §7.1.2.1: the orders an account created, read by POST-as-GET from the account's `orders` URL, page by
 * page through `Link: rel="next"`. The CA SHOULD list pending orders and MAY page the list (Pebble: 3 per page,
 * `PEBBLE_WFE_ORDERS_PER_PAGE`); Let's Encrypt offers no list at all. `undefined` when the account has no https
 * `orders` URL. A hostile list is bounded: pages and URLs are capped, a page seen twice ends the walk, and only
 * https URLs on the list's own origin are followed or kept (no signed request goes anywhere else).
 */
export async function listAccountOrders(
  session: AcmeSession,
  ordersUrl: unknown,
  limits: AccountOrdersLimits = {},
  signal?: AbortSignal,
): Promise<AccountOrders | undefined> {
  if (!isHttpsUrl(ordersUrl)) return undefined;
  const maxPages = limits.maxPages ?? 50;
  const maxOrders = limits.maxOrders ?? 1000;
  const kid = requireAccountUrl(session);
  const origin = new URL(ordersUrl).origin;
  const urls: string[] = [];
  const seen = new Set<string>();
  let page: string | undefined = ordersUrl;
  while (page && !seen.has(page)) {
    if (seen.size >= maxPages || urls.length >= maxOrders) return { urls, complete: false };
    seen.add(page);
    // A page is held to an order's body cap (256 KiB: thousands of URLs), the list to maxPages and maxOrders.
    const response: AcmeResponse<{ orders?: unknown }> = await session.transport.post(page, '', {
      key: session.accountKey,
      kid,
      resource: 'order',
      signal,
    });
    const listed = (response.body as { orders?: unknown } | null)?.orders;
    if (!Array.isArray(listed)) {
      throw new ProtocolError(`The CA's orders list at ${page} has no "orders" array (RFC 8555 §7.1.2.1).`);
    }
    for (const entry of listed) {
      if (urls.length >= maxOrders) return { urls, complete: false };
      if (isHttpsUrl(entry) && new URL(entry).origin === origin) urls.push(entry);
    }
    // Signed requests go to the CA's own origin only, wherever a hostile Link points.
    const next = response.links.find((link) => link.rel === 'next')?.url;
    page = next && new URL(next).origin === origin ? next : undefined;
  }
  return { urls, complete: true };
}

function isHttpsUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
