import type { DaemonView, ErrorView, OrderView } from './status-document.js';

/**
 * The server-sent events of `/api/events` (text/event-stream). Each event carries a whole list, not a change, so
 * a client that missed events (a reconnect) is right again at the next one: on connect the server sends `orders`,
 * `errors` and `daemon` at once.
 */
export interface LiveEvents {
  /** Every order in flight or recently finished (the `orders` of /api/status). */
  readonly orders: readonly OrderView[];
  /** The most recent errors first. */
  readonly errors: readonly ErrorView[];
  readonly daemon: DaemonView;
  /** The certificates changed (an issuance, a failure, a sweep): fetch /api/status again. */
  readonly status: { readonly at: string };
}

export type LiveEventName = keyof LiveEvents;

export const LIVE_EVENT_NAMES: readonly LiveEventName[] = ['orders', 'errors', 'daemon', 'status'];
