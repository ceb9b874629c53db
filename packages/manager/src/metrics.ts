import { type RuleBudget, renewalTime } from '@certkeeper/policy';
import type { CertificateRecord } from '@certkeeper/store';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of a manager, on a registry of its own (serve `registry.metrics()` on `/metrics`).
 * Label values are identifiers and limit names, never secrets.
 */
export class CertkeeperMetrics {
  readonly registry: Registry;
  readonly orders: Counter<'result'>;
  readonly outcomes: Counter<'outcome'>;
  readonly expirySeconds: Gauge<'certificate'>;
  readonly nextRenewalSeconds: Gauge<'certificate'>;
  readonly rateLimitRemaining: Gauge<'rule' | 'bucket'>;
  readonly certificatesByState: Gauge<'state'>;
  readonly propagationSeconds: Histogram<'nameserver'>;

  constructor(registry = new Registry()) {
    this.registry = registry;
    this.orders = new Counter({
      name: 'certkeeper_orders_total',
      help: 'ACME orders by result: created (a newOrder was sent) or resumed (continued from stored state)',
      labelNames: ['result'],
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'certkeeper_ensure_outcomes_total',
      help: 'Outcomes of ensure(): fresh, issued, renewed, deferred, failed',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.expirySeconds = new Gauge({
      name: 'certkeeper_certificate_expiry_seconds',
      help: 'Seconds until the certificate expires (negative once it has expired)',
      labelNames: ['certificate'],
      registers: [registry],
    });
    this.nextRenewalSeconds = new Gauge({
      name: 'certkeeper_certificate_next_renewal_seconds',
      help: 'Seconds until the certificate is due for renewal (ARI window or lifetime rule)',
      labelNames: ['certificate'],
      registers: [registry],
    });
    this.propagationSeconds = new Histogram({
      name: 'certkeeper_dns_propagation_seconds',
      help: 'Seconds from publishing dns-01 records until a check found them on each authoritative nameserver',
      labelNames: ['nameserver'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    this.certificatesByState = new Gauge({
      name: 'certkeeper_certificates',
      help: 'Certificates kept, by state after the last sweep: valid, expired, failing (the last attempt failed), deferred (waiting for a CA limit or backoff), undeployed (issued, but its output or deploy hook failed)',
      labelNames: ['state'],
      registers: [registry],
    });
    this.rateLimitRemaining = new Gauge({
      name: 'certkeeper_rate_limit_remaining',
      help: 'Requests left before a CA rate limit, as the local ledger counts them',
      labelNames: ['rule', 'bucket'],
      registers: [registry],
    });
  }

  /**
   * Wire to a Dns01Solver's `onCheck`: when a check finds the records everywhere, each nameserver's time from
   * publication to that check is observed (an upper bound, to the check interval). Structural types keep the
   * manager independent of the dns package.
   */
  observePropagation(
    result: {
      readonly status: string;
      readonly checkedAt: Date;
      readonly servers: readonly { readonly nameserver: string; readonly address: string }[];
    },
    publishedAt: Date,
  ): void {
    if (result.status !== 'ready') return;
    const seconds = Math.max(0, (result.checkedAt.getTime() - publishedAt.getTime()) / 1000);
    for (const server of new Set(result.servers.map((s) => `${s.nameserver} ${s.address}`))) {
      this.propagationSeconds.observe({ nameserver: server }, seconds);
    }
  }

  observeCertificate(record: CertificateRecord, renewalAt: Date, now: Date): void {
    const label = { certificate: record.identifiers.map((i) => i.value).join(',') };
    this.expirySeconds.set(label, (Date.parse(record.notAfter) - now.getTime()) / 1000);
    this.nextRenewalSeconds.set(label, (renewalAt.getTime() - now.getTime()) / 1000);
  }

  /**
   * After a sweep: every stored certificate's expiry and renewal gauges, expired ones included (an alert on low
   * expiry must see the worst case), and none of certificates no longer stored; and the count in each state.
   */
  observeSweep(sweep: {
    readonly stored: readonly CertificateRecord[];
    readonly failing: number;
    readonly deferred: number;
    readonly undeployed: number;
    readonly now: Date;
  }): void {
    const { stored, now } = sweep;
    this.expirySeconds.reset();
    this.nextRenewalSeconds.reset();
    let expired = 0;
    for (const record of stored) {
      this.observeCertificate(record, renewalTime(record).at, now);
      if (Date.parse(record.notAfter) <= now.getTime()) expired++;
    }
    this.certificatesByState.set({ state: 'valid' }, stored.length - expired);
    this.certificatesByState.set({ state: 'expired' }, expired);
    this.certificatesByState.set({ state: 'failing' }, sweep.failing);
    this.certificatesByState.set({ state: 'deferred' }, sweep.deferred);
    this.certificatesByState.set({ state: 'undeployed' }, sweep.undeployed);
  }

  observeBudgets(budgets: readonly RuleBudget[]): void {
    for (const budget of budgets)
      this.rateLimitRemaining.set({ rule: budget.rule.name, bucket: budget.bucket }, budget.remaining);
  }
}
