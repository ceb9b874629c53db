import { EventEmitter } from 'node:events';
import { CertkeeperError } from '@certkeeper/core';
import type { OrderProgress } from '@certkeeper/manager';
import { CertificateProgress } from '@certkeeper/manager/order-steps';
import type { DaemonView, ErrorView, OrderView } from '../api/status-document.js';

export interface LiveFeedOptions {
  readonly now?: () => Date;
  /** How long a finished order stays listed (default 5 minutes), so a person glancing later sees how it ended. */
  readonly keepFinishedMs?: number;
  /** Errors kept (default 50), newest first. */
  readonly maxErrors?: number;
  /** Orders kept at once (default 500); the oldest finished ones go first. */
  readonly maxOrders?: number;
}

interface LiveOrder {
  readonly key: string;
  readonly identifiers: readonly string[];
  readonly progress: CertificateProgress;
  readonly startedAt: string;
  phase: string;
  until?: string;
  holder?: string;
  updatedAt: string;
  result?: OrderView['result'];
  finishedAt?: number;
}

/** What happened to one certificate, as the daemon's sweep reports it. */
export type FinishedOrder =
  | { readonly type: 'issued' | 'renewed' | 'deferred' | 'fresh' }
  | { readonly type: 'failed'; readonly error: unknown; readonly retryAt?: Date };

interface LiveFeedEvents {
  orders: [];
  errors: [];
  daemon: [];
  /** The stored certificates changed: the status report is stale. */
  status: [];
}

/**
 * What the daemon is doing now, for the page and /api/events: the orders it drives (from the manager's `progress`
 * events, in the same steps as the CLI's live view), the last errors with their "Next:" hint, and the state of its
 * loop. In memory only and bounded; the store remains the truth about certificates.
 */
export class LiveFeed extends EventEmitter<LiveFeedEvents> {
  private readonly orders = new Map<string, LiveOrder>();
  private errors: ErrorView[] = [];
  private daemon: DaemonView;
  private readonly now: () => Date;
  private readonly keepFinishedMs: number;
  private readonly maxErrors: number;
  private readonly maxOrders: number;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(options: LiveFeedOptions = {}) {
    super();
    this.now = options.now ?? (() => new Date());
    this.keepFinishedMs = options.keepFinishedMs ?? 5 * 60_000;
    this.maxErrors = options.maxErrors ?? 50;
    this.maxOrders = options.maxOrders ?? 500;
    this.daemon = { running: true, startedAt: this.now().toISOString() };
    this.pruneTimer = setInterval(() => this.prune(), Math.min(30_000, this.keepFinishedMs)).unref();
  }

  /** One step of an order (the manager's `progress` event). */
  progress(progress: OrderProgress): void {
    const at = this.now().toISOString();
    let order = this.orders.get(progress.key);
    if (!order || order.result) {
      order = {
        key: progress.key,
        identifiers: progress.identifiers,
        progress: new CertificateProgress(progress.identifiers),
        startedAt: at,
        phase: progress.phase,
        updatedAt: at,
      };
      this.orders.delete(progress.key);
      this.orders.set(progress.key, order);
      this.bound();
    }
    order.progress.apply(progress);
    order.phase = progress.phase;
    order.updatedAt = at;
    order.until = progress.next === 'wait' && progress.until ? progress.until.toISOString() : undefined;
    order.holder = progress.phase === 'lease' ? progress.holder : undefined;
    this.emit('orders');
  }

  /** A certificate's turn ended. Orders it drove are marked; a failure becomes an error with its hint. */
  finished(identifiers: readonly string[], outcome: FinishedOrder): void {
    const order = this.orderOf(identifiers);
    if (order && !order.result) {
      if (outcome.type === 'issued' || outcome.type === 'renewed') order.progress.stored();
      if (outcome.type === 'failed') order.progress.fail();
      order.result = outcome.type === 'fresh' ? 'issued' : outcome.type;
      order.finishedAt = this.now().getTime();
      order.updatedAt = this.now().toISOString();
      order.until = undefined;
      this.emit('orders');
    }
    if (outcome.type === 'failed')
      this.error(identifiers, 'order', outcome.error, outcome.retryAt ? { retryAt: outcome.retryAt } : {});
    if (outcome.type !== 'fresh') this.emit('status');
  }

  /** The daemon was stopped in the middle of this certificate's order: it stays stored for the next run. */
  stopped(): void {
    for (const order of this.orders.values())
      if (!order.result) {
        order.result = 'stopped';
        order.finishedAt = this.now().getTime();
      }
    this.daemon = { ...this.daemon, running: false };
    this.emit('orders');
    this.emit('daemon');
  }

  deployFailed(identifiers: readonly string[], error: unknown): void {
    this.error(identifiers, 'deploy', error);
    this.emit('status');
  }

  /** The loop's state after a sweep (or before the next one). */
  sweep(state: Omit<DaemonView, 'startedAt' | 'running'> & { readonly running?: boolean }): void {
    const { lastSweepError, ...rest } = state;
    this.daemon = {
      startedAt: this.daemon.startedAt,
      running: state.running ?? this.daemon.running,
      ...rest,
      ...(lastSweepError ? { lastSweepError } : {}),
    };
    if (lastSweepError) this.error([], 'sweep', lastSweepError);
    this.emit('daemon');
    this.emit('status');
  }

  ordersView(): OrderView[] {
    const cutoff = this.now().getTime() - this.keepFinishedMs;
    const views: OrderView[] = [];
    for (const order of this.orders.values()) {
      if (order.finishedAt !== undefined && order.finishedAt < cutoff) continue;
      const detail = order.progress.detail;
      views.push({
        key: order.key,
        identifiers: order.identifiers,
        source: 'live',
        phase: order.phase,
        steps: order.progress.states(),
        ...(detail && !order.result
          ? {
              wait: {
                headline: detail.headline,
                items: detail.items,
                ...(order.until ? { until: order.until } : {}),
              },
            }
          : {}),
        ...(order.holder && !order.result ? { holder: order.holder } : {}),
        startedAt: order.startedAt,
        updatedAt: order.updatedAt,
        ...(order.result ? { result: order.result } : {}),
      });
    }
    return views.reverse();
  }

  errorsView(): readonly ErrorView[] {
    return this.errors;
  }

  daemonView(): DaemonView {
    return this.daemon;
  }

  close(): void {
    clearInterval(this.pruneTimer);
    this.removeAllListeners();
  }

  private error(
    identifiers: readonly string[],
    kind: ErrorView['kind'],
    error: unknown,
    extra: { readonly retryAt?: Date } = {},
  ): void {
    const message = error instanceof Error ? error.message : String(error);
    const coded = CertkeeperError.isInstance(error) ? error : undefined;
    this.errors = [
      {
        at: this.now().toISOString(),
        identifiers,
        kind,
        // The hint is its own field; the message ends where CertkeeperError appended it.
        message: message.split('\nNext: ')[0]!.trim(),
        ...(coded ? { code: coded.code } : {}),
        ...(coded?.hint ? { next: coded.hint } : {}),
        ...(extra.retryAt ? { retryAt: extra.retryAt.toISOString() } : {}),
      },
      ...this.errors,
    ].slice(0, this.maxErrors);
    this.emit('errors');
  }

  private orderOf(identifiers: readonly string[]): LiveOrder | undefined {
    const wanted = sameNames(identifiers);
    let found: LiveOrder | undefined;
    for (const order of this.orders.values()) if (sameNames(order.identifiers) === wanted) found = order;
    return found;
  }

  /** Drop the oldest finished orders past the cap; running orders are never dropped. */
  private bound(): void {
    for (const [key, order] of this.orders) {
      if (this.orders.size <= this.maxOrders) return;
      if (order.result) this.orders.delete(key);
    }
  }

  private prune(): void {
    const cutoff = this.now().getTime() - this.keepFinishedMs;
    let pruned = false;
    for (const [key, order] of this.orders)
      if (order.finishedAt !== undefined && order.finishedAt < cutoff) {
        this.orders.delete(key);
        pruned = true;
      }
    if (pruned) this.emit('orders');
  }
}

/** Names compared as a set, case-insensitively: the config's order and the order state's may differ. */
function sameNames(identifiers: readonly string[]): string {
  return identifiers
    .map((name) => name.toLowerCase())
    .sort()
    .join(',');
}
