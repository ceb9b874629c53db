import {
  type CertificateKeyType,
  type Clock,
  certificateIssuerName,
  type Identifier,
  parseIdentifiers,
  systemClock,
} from '@certkeeper/core';
import {
  accountBackoffKey,
  backoffWaiver,
  type CertificateRequest,
  certificateKey,
  RateLimitLedger,
  type RenewalBasis,
  rateLimitsFor,
  renewalTime,
  setBackoffKey,
} from '@certkeeper/policy';
import {
  allCertificates,
  type CertificateRecord,
  type ManagedCertificateRecord,
  type Store,
} from '@certkeeper/store';
import type { ManagerOptions } from './options.js';

/** A certificate someone asked to keep (the CLI's configured certificates). */
export interface StatusRequest {
  readonly identifiers: ReadonlyArray<string | Identifier>;
  readonly profile?: string;
  readonly keyType?: CertificateKeyType;
  /**
   * The configuration fingerprint the certificate would be ordered with (as given to `ensure`): a failure backoff
   * recorded under another one is not shown as deferring it.
   */
  readonly configFingerprint?: string;
  /** The certificate's own renewal threshold (`renewBefore`), as given to `ensure`. */
  readonly renewBeforeMs?: number;
}

/** How much of one CA limit is left for a certificate's identifier set (the tightest bucket of the rule). */
export interface BudgetStatus {
  readonly rule: string;
  readonly description: string;
  readonly remaining: number;
  readonly limit: number;
  /** The set's next order is exempt from this rule (a renewal of a recently issued set). */
  readonly exempt: boolean;
  readonly nextTokenAt: string;
}

/** One row of `certkeeper status`. Dates are ISO 8601 strings; nothing here is a secret. */
export interface CertificateStatus {
  readonly key?: string;
  /** The CA it is (or would be) ordered from: a store can hold several CAs' certificates. */
  readonly directoryUrl?: string;
  /** The account that ordered it (a configured certificate: the configured account, once registered). */
  readonly accountUrl?: string;
  readonly identifiers: readonly string[];
  /** Asked for by the caller (configured), as opposed to only found in the store. */
  readonly configured: boolean;
  readonly state: 'valid' | 'due' | 'expired' | 'revoked' | 'missing';
  readonly issuer?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly serialNumberHex?: string;
  readonly profile?: string;
  readonly keyType?: CertificateKeyType;
  /** Ordered with the caller's own CSR: the private key is the caller's, not in the store. */
  readonly externalKey?: true;
  readonly renewal?: {
    readonly at: string;
    readonly basis: RenewalBasis;
    readonly explanation: string;
    /** The CA's suggested window (ARI, RFC 9773 §4.2) the time was chosen in, when there is one. */
    readonly window?: { readonly start: string; readonly end: string };
  };
  /** The last failure, kept until a success clears it. */
  readonly lastError?: { readonly reason: string; readonly failures: number; readonly at: string };
  /** Nothing is sent for this set before this time (a failure's backoff or the CA's Retry-After). */
  readonly backoff?: { readonly until: string; readonly reason: string; readonly rateLimited: boolean };
  readonly budgets: readonly BudgetStatus[];
  /** An order in flight for it (resumed by the next run). */
  readonly order?: { readonly phase: string; readonly updatedAt: string };
  /** Where its PEM files are (the store's, an output directory): paths only, never contents. */
  readonly files?: readonly CertificateFileSet[];
  /** The last deployment recorded for it (output files, deploy hook); a failed one is retried by the next run. */
  readonly deployment?: DeploymentStatus;
}

/** One directory holding a certificate's PEM files. */
export interface CertificateFileSet {
  /** What the directory is, for people: "store", "output", … */
  readonly role: string;
  readonly directory: string;
  /** The file names in it (`fullchain.pem`, `privkey.pem`, …). */
  readonly files: readonly string[];
}

export interface DeploymentStatus {
  readonly at: string;
  readonly ok: boolean;
  /** Why it failed, as recorded (redacted by the program that ran the hook). */
  readonly error?: string;
  /** Consecutive failed attempts for this serial (0 when ok). */
  readonly attempts: number;
  /** The deployment was for the stored certificate (false: the stored one is not deployed yet). */
  readonly current: boolean;
}

export interface StatusReport {
  readonly directoryUrl: string;
  readonly accountUrl?: string;
  readonly generatedAt: string;
  readonly certificates: readonly CertificateStatus[];
}

export interface StatusReportOptions {
  readonly options: ManagerOptions;
  readonly store: Store;
  readonly requests?: readonly StatusRequest[];
  /** The renewal threshold of stored certificates that no request names (the CLI's `defaults.renewBefore`). */
  readonly renewBeforeMs?: number;
  readonly clock?: Clock;
  /**
   * Where a certificate's files are, as the program that keeps it lays them out (the CLI: the store's PEM files
   * and its output directory). Paths only. Without it, the report has no `files`.
   */
  readonly filesOf?: (certificate: {
    readonly key: string;
    readonly identifiers: readonly Identifier[];
    readonly stored: boolean;
    readonly managed?: ManagedCertificateRecord;
  }) => readonly CertificateFileSet[];
}

/**
 * The data behind `certkeeper status`, from the store alone — no request to the CA, so it is fast and safe to
 * run as often as anyone likes: every configured certificate (stored or not) and every stored certificate of this
 * CA, with its renewal time and why, the last error, the backoff and the rate-limit budget left for its set.
 */
export async function buildStatusReport(input: StatusReportOptions): Promise<StatusReport> {
  const { options, store } = input;
  const clock = input.clock ?? systemClock;
  const now = clock.now();
  const { directoryUrl } = options;
  const account = await store.getAccount(directoryUrl, options.account?.name ?? 'default');
  const accountUrl = account?.accountUrl || undefined;
  const ledger = new RateLimitLedger(store, options.rateLimits ?? rateLimitsFor(options.directoryUrl), clock);
  const rows: CertificateStatus[] = [];
  const seen = new Set<string>();

  for (const request of input.requests ?? []) {
    const identifiers = parseIdentifiers(request.identifiers).map(({ type, value }) => ({ type, value }));
    if (!accountUrl) {
      rows.push({
        directoryUrl,
        identifiers: identifiers.map((i) => i.value),
        configured: true,
        state: 'missing',
        budgets: [],
      });
      continue;
    }
    const wanted: CertificateRequest = {
      directoryUrl,
      accountUrl,
      identifiers,
      ...(request.profile ? { profile: request.profile } : {}),
      ...(request.configFingerprint ? { configFingerprint: request.configFingerprint } : {}),
      ...((request.renewBeforeMs ?? input.renewBeforeMs)
        ? { renewBeforeMs: request.renewBeforeMs ?? input.renewBeforeMs }
        : {}),
    };
    const key = certificateKey(wanted);
    seen.add(key);
    rows.push(await describe(key, wanted, await store.getCertificate(key), true));
  }
  for await (const record of allCertificates(store)) {
    if (seen.has(record.key) || record.directoryUrl !== directoryUrl) continue;
    const request: CertificateRequest = {
      directoryUrl,
      accountUrl: record.accountUrl,
      identifiers: record.identifiers,
      ...(record.profile ? { profile: record.profile } : {}),
      ...(input.renewBeforeMs ? { renewBeforeMs: input.renewBeforeMs } : {}),
    };
    rows.push(await describe(record.key, request, record, false));
  }
  return {
    directoryUrl,
    ...(accountUrl ? { accountUrl } : {}),
    generatedAt: now.toISOString(),
    certificates: rows,
  };

  async function describe(
    key: string,
    request: CertificateRequest,
    record: CertificateRecord | undefined,
    configured: boolean,
  ): Promise<CertificateStatus> {
    const [setBackoff, accountBackoff, order, verdict, managed] = await Promise.all([
      store.getBackoff(setBackoffKey(request)),
      store.getBackoff(accountBackoffKey(request)),
      store.getOrder(key),
      ledger.check(request),
      store.getManaged(key),
    ]);
    const files = input.filesOf?.({
      key,
      identifiers: request.identifiers,
      stored: record !== undefined,
      ...(managed ? { managed } : {}),
    });
    const blocking = [accountBackoff, setBackoff].find(
      (backoff) => backoff && backoffWaiver(backoff, request, now) === undefined,
    );
    const failure = setBackoff && setBackoff.failures > 0 ? setBackoff : undefined;
    // The same time the freshness gate renews at: the CA's window, or the certificate's renewBefore if earlier.
    const renewal = record ? renewalTime(record, request.renewBeforeMs) : undefined;
    return {
      key,
      directoryUrl,
      accountUrl: record?.accountUrl ?? request.accountUrl,
      // Configured certificates keep the order the person wrote; stored ones the order of their record.
      identifiers: (configured ? request.identifiers : (record?.identifiers ?? request.identifiers)).map(
        (i) => i.value,
      ),
      configured,
      state: stateOf(record, renewal?.at, now),
      ...(record ? certificateFacts(record) : {}),
      ...(renewal
        ? {
            renewal: {
              at: renewal.at.toISOString(),
              basis: renewal.basis,
              explanation: renewal.explanation,
              ...(renewal.basis === 'ari-window' && record?.renewalInfo
                ? { window: { start: record.renewalInfo.windowStart, end: record.renewalInfo.windowEnd } }
                : {}),
            },
          }
        : {}),
      ...(failure
        ? { lastError: { reason: failure.reason, failures: failure.failures, at: failure.updatedAt } }
        : {}),
      ...(blocking
        ? {
            backoff: {
              until: blocking.retryAt,
              reason: blocking.reason,
              rateLimited: blocking.rateLimited === true,
            },
          }
        : {}),
      budgets: tightestPerRule(verdict.budgets),
      ...(order ? { order: { phase: order.state.phase, updatedAt: order.updatedAt } } : {}),
      ...(files?.length ? { files } : {}),
      ...(managed?.deployment ? { deployment: deploymentStatus(managed.deployment, record) } : {}),
    };
  }
}

function deploymentStatus(
  deployment: NonNullable<ManagedCertificateRecord['deployment']>,
  record: CertificateRecord | undefined,
): DeploymentStatus {
  return {
    at: deployment.at,
    ok: deployment.ok,
    ...(deployment.error ? { error: deployment.error } : {}),
    attempts: deployment.attempts,
    current: record !== undefined && deployment.serialNumberHex === record.serialNumberHex,
  };
}

function stateOf(
  record: CertificateRecord | undefined,
  renewalAt: Date | undefined,
  now: Date,
): CertificateStatus['state'] {
  if (!record) return 'missing';
  if (record.revokedAt) return 'revoked';
  if (Date.parse(record.notAfter) <= now.getTime()) return 'expired';
  if (renewalAt && renewalAt.getTime() <= now.getTime()) return 'due';
  return 'valid';
}

function certificateFacts(record: CertificateRecord) {
  const issuer = certificateIssuerName(record.certificatePem);
  return {
    ...(issuer ? { issuer } : {}),
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    serialNumberHex: record.serialNumberHex,
    keyType: record.keyType,
    ...(record.externalKey ? { externalKey: true as const } : {}),
    ...(record.profile ? { profile: record.profile } : {}),
  };
}

function tightestPerRule(budgets: Awaited<ReturnType<RateLimitLedger['check']>>['budgets']): BudgetStatus[] {
  const byRule = new Map<string, BudgetStatus>();
  for (const budget of budgets) {
    const previous = byRule.get(budget.rule.name);
    if (previous && previous.remaining <= budget.remaining) continue;
    byRule.set(budget.rule.name, {
      rule: budget.rule.name,
      description: budget.rule.description,
      remaining: Math.floor(budget.remaining),
      limit: budget.rule.limit,
      exempt: budget.exempt,
      nextTokenAt: budget.nextTokenAt.toISOString(),
    });
  }
  return [...byRule.values()];
}
