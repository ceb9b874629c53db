import { createHash } from 'node:crypto';
import type { CertificateStatus, StatusReport } from '@certkeeper/manager';
import { CertificateProgress } from '@certkeeper/manager/order-steps';
import type { CertificateView, OrderView, RateLimitGauge, StatusDocument } from '../api/status-document.js';
import type { LiveFeed } from './live-feed.js';

/**
 * A status report turned into the parts of the JSON document that change only when the store does: the
 * certificates (serialised once — 10 000 of them are megabytes), the rate-limit gauges and the orders found in the
 * store. The live parts (orders this daemon drives, errors, the loop) are spliced in per request.
 */
export interface StatusSnapshot {
  readonly generatedAt: string;
  readonly directoryUrl: string;
  readonly accountUrl?: string;
  readonly certificatesJson: string;
  readonly rateLimits: readonly RateLimitGauge[];
  readonly storedOrders: readonly OrderView[];
  /** A digest of the certificates, for the document's ETag. */
  readonly digest: string;
}

export function snapshotOf(report: StatusReport): StatusSnapshot {
  const certificates = report.certificates.map(certificateView);
  const certificatesJson = JSON.stringify(certificates);
  return {
    generatedAt: report.generatedAt,
    directoryUrl: report.directoryUrl,
    ...(report.accountUrl ? { accountUrl: report.accountUrl } : {}),
    certificatesJson,
    rateLimits: rateLimitGauges(report.certificates),
    storedOrders: storedOrders(report.certificates),
    digest: createHash('sha256').update(certificatesJson).digest('base64url').slice(0, 22),
  };
}

/**
 * The whole `/api/status` document: the snapshot with the feed's live parts, and a digest for its ETag made from
 * the snapshot's and the live parts' — hashing megabytes of certificates once per snapshot, not once per request.
 */
export function statusDocument(
  snapshot: StatusSnapshot,
  feed: LiveFeed,
): { text: () => string; digest: string } {
  const head: Omit<StatusDocument, 'certificates'> = {
    schema: 1,
    generatedAt: snapshot.generatedAt,
    directoryUrl: snapshot.directoryUrl,
    ...(snapshot.accountUrl ? { accountUrl: snapshot.accountUrl } : {}),
    daemon: feed.daemonView(),
    rateLimits: snapshot.rateLimits,
    orders: ordersOf(snapshot, feed),
    errors: feed.errorsView(),
  };
  const headText = JSON.stringify(head);
  return {
    digest: `${snapshot.digest}.${createHash('sha256').update(headText).digest('base64url').slice(0, 16)}`,
    text: () => `${headText.slice(0, -1)},"certificates":${snapshot.certificatesJson}}`,
  };
}

/** The orders this daemon drives, then the stored ones it does not (another process's, or interrupted). */
export function ordersOf(snapshot: StatusSnapshot | undefined, feed: LiveFeed): OrderView[] {
  const live = feed.ordersView();
  const keys = new Set(live.map((order) => order.key));
  return [...live, ...(snapshot?.storedOrders ?? []).filter((order) => !keys.has(order.key))];
}

/** The report's row as the API has it: budget descriptions move to the gauges (they repeat on every row). */
function certificateView(status: CertificateStatus): CertificateView {
  const { budgets, ...rest } = status;
  return {
    ...rest,
    budgets: budgets.map(({ description: _description, ...budget }) => budget),
  } satisfies CertificateView;
}

/**
 * One gauge per rule: the tightest budget any counted certificate has under it. Per-account rules give every
 * certificate the same budget; per-domain and per-set rules differ, and the gauge names the one closest to its
 * limit, which is the one a person needs to know about.
 */
function rateLimitGauges(certificates: readonly CertificateStatus[]): RateLimitGauge[] {
  const gauges = new Map<string, RateLimitGauge & { tightestAt?: number }>();
  for (const certificate of certificates)
    for (const budget of certificate.budgets) {
      const gauge = gauges.get(budget.rule) ?? {
        rule: budget.rule,
        description: budget.description,
        limit: budget.limit,
        remaining: budget.limit,
        counted: 0,
        exhausted: 0,
      };
      if (budget.exempt) {
        gauges.set(budget.rule, gauge);
        continue;
      }
      const tighter = gauge.counted === 0 || budget.remaining < gauge.remaining;
      gauges.set(budget.rule, {
        ...gauge,
        counted: gauge.counted + 1,
        exhausted: gauge.exhausted + (budget.remaining < 1 ? 1 : 0),
        ...(tighter
          ? {
              remaining: budget.remaining,
              tightest: certificate.identifiers,
              nextTokenAt: budget.nextTokenAt,
            }
          : {}),
      });
    }
  return [...gauges.values()];
}

/** Orders the store holds: resumed by the next run, or driven right now by another process on the same store. */
function storedOrders(certificates: readonly CertificateStatus[]): OrderView[] {
  const orders: OrderView[] = [];
  for (const certificate of certificates) {
    if (!certificate.order || !certificate.key) continue;
    const progress = new CertificateProgress(certificate.identifiers);
    progress.apply({
      key: certificate.key,
      identifiers: certificate.identifiers,
      phase: certificate.order.phase,
      next: 'continue',
    });
    orders.push({
      key: certificate.key,
      identifiers: certificate.identifiers,
      source: 'store',
      phase: certificate.order.phase,
      steps: progress.states(),
      updatedAt: certificate.order.updatedAt,
    });
  }
  return orders;
}
