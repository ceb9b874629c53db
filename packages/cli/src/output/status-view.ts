import type { BudgetStatus, CertificateStatus, StatusReport } from '@certkeeper/manager';
import { formatDistance, formatTime } from './format-time.js';
import { renderTable } from './table.js';

const SHORT_RULE_NAMES: Readonly<Record<string, string>> = {
  newOrdersPerAccount: 'orders',
  certificatesPerRegisteredDomain: 'domain',
  certificatesPerExactSet: 'set',
  authorizationFailuresPerIdentifier: 'failed-authz',
};

/**
 * `certkeeper status` for people: one row per certificate — names, issuer, expiry, next renewal and why (the ARI
 * window or the lifetime rule), the rate-limit budget left for the set — and under a row its last error, backoff
 * or order in flight.
 */
export function renderStatus(
  report: StatusReport,
  now: Date,
  recipes: ReadonlyMap<string, string> = new Map(),
): string {
  if (report.certificates.length === 0) return `${caHeader(report)}\n\n${NO_CERTIFICATES}`;
  return byAccount(report)
    .map(({ header, certificates }) => `${header}\n\n${wideTable(certificates, now, recipes)}`)
    .join('\n\n');
}

export const NO_CERTIFICATES = 'No certificates configured or stored. Issue one: certkeeper issue <names…>';

/** `CA <url>` and `account <url>` lines heading a CA and account's certificates. */
export function caHeader(group: { directoryUrl?: string; accountUrl?: string }): string {
  return `CA ${group.directoryUrl}\naccount ${group.accountUrl ?? '(none registered yet)'}`;
}

/**
 * The report's certificates by CA and account, in the report's order of first appearance: a store can hold
 * several CAs' and accounts' certificates (a staging CA beside production).
 */
export function byAccount(report: StatusReport): { header: string; certificates: CertificateStatus[] }[] {
  const groups = new Map<string, { header: string; certificates: CertificateStatus[] }>();
  for (const certificate of report.certificates) {
    const directoryUrl = certificate.directoryUrl ?? report.directoryUrl;
    const accountUrl =
      certificate.accountUrl ?? (directoryUrl === report.directoryUrl ? report.accountUrl : undefined);
    const id = `${directoryUrl}|${accountUrl ?? ''}`;
    const group = groups.get(id) ?? { header: caHeader({ directoryUrl, accountUrl }), certificates: [] };
    groups.set(id, group);
    group.certificates.push(certificate);
  }
  return [...groups.values()];
}

function wideTable(
  certificates: readonly CertificateStatus[],
  now: Date,
  recipes: ReadonlyMap<string, string>,
): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const certificate of certificates) {
    rows.push([
      certificate.identifiers.join(', '),
      stateText(certificate),
      certificate.issuer ?? '-',
      certificate.notAfter ? formatTime(certificate.notAfter) : '-',
      certificate.renewal
        ? `${formatTime(certificate.renewal.at)} (${formatDistance(certificate.renewal.at, now)})`
        : certificate.state === 'missing'
          ? 'at the next renew'
          : '-',
      certificate.renewal ? whyText(certificate.renewal) : '-',
      budgetText(certificate.budgets),
    ]);
    const recipe = certificate.key ? recipes.get(certificate.key) : undefined;
    const lines = [...(recipe ? [recipe] : []), ...detailLines(certificate, now)];
    if (lines.length)
      notes.push(`${certificate.identifiers.join(', ')}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  }
  const table = renderTable(
    ['NAMES', 'STATE', 'ISSUER', 'EXPIRES', 'NEXT RENEWAL', 'WHY', 'RATE-LIMIT BUDGET'],
    rows,
  );
  return [table, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

export function stateText(certificate: CertificateStatus): string {
  if (certificate.backoff && certificate.state !== 'valid') return `${certificate.state}, backing off`;
  return certificate.state === 'missing' ? 'not issued' : certificate.state;
}

export function whyText(renewal: NonNullable<CertificateStatus['renewal']>): string {
  return renewal.basis === 'ari-window'
    ? "the CA's ARI window"
    : renewal.explanation.replace(/-day lifetime$/, '-day lifetime');
}

/**
 * The budget left for the set's next order under each rule that applies to it. Rules it is exempt from (a renewal
 * of a recently issued set does not count against Let's Encrypt's per-account and per-domain limits) are left
 * out; `--json` has them all.
 */
export function budgetText(budgets: readonly BudgetStatus[]): string {
  if (budgets.length === 0) return 'no local limits';
  const counted = budgets.filter((budget) => !budget.exempt);
  if (counted.length === 0) return 'exempt from every limit';
  return counted
    .map((budget) => `${SHORT_RULE_NAMES[budget.rule] ?? budget.rule} ${budget.remaining}/${budget.limit}`)
    .join(', ');
}

export function detailLines(certificate: CertificateStatus, now: Date): string[] {
  const lines: string[] = [];
  if (certificate.renewal?.basis === 'ari-window')
    lines.push(`renewal window: ${certificate.renewal.explanation}`);
  if (certificate.lastError)
    lines.push(
      `last error (${certificate.lastError.failures} in a row, ${formatTime(certificate.lastError.at)}): ${certificate.lastError.reason}`,
    );
  if (certificate.backoff)
    lines.push(
      `backoff: nothing is sent before ${formatTime(certificate.backoff.until)} (${formatDistance(certificate.backoff.until, now)})${certificate.backoff.rateLimited ? ` — the CA's rate limit: ${certificate.backoff.reason}` : ''}`,
    );
  if (certificate.order)
    lines.push(
      `order in flight at step ${certificate.order.phase} (updated ${formatTime(certificate.order.updatedAt)}); the next run resumes it`,
    );
  const deployment = certificate.deployment;
  if (deployment && !deployment.ok)
    lines.push(
      `deploy failed (${deployment.attempts} in a row, ${formatTime(deployment.at)}): ${deployment.error ?? 'no reason recorded'}; the next run tries again`,
    );
  else if (deployment && !deployment.current && certificate.state !== 'missing')
    lines.push('deploy: the stored certificate is not deployed yet; the next run deploys it');
  const spent = certificate.budgets.filter((b) => b.remaining < 1 && !b.exempt);
  for (const budget of spent)
    lines.push(`rate limit reached: ${budget.description}; next allowed ${formatTime(budget.nextTokenAt)}`);
  return lines;
}
