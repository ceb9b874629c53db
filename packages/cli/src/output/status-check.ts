import type { CertificateStatus, StatusReport } from '@certkeeper/manager';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { formatDistance } from './format-time.js';

/** A due certificate still not renewed this long after its renewal time is overdue (cron runs twice a day). */
export const OVERDUE_AFTER_MS = 24 * 3_600_000;

export interface CheckResult {
  /** 0: every certificate is fine; 1: at least one needs attention (README "status --check"). */
  readonly code: ExitCodeValue;
  /** One line for a monitoring system: `OK: …` or `PROBLEM: …`. */
  readonly line: string;
  readonly problems: readonly { readonly names: readonly string[]; readonly problem: string }[];
}

/**
 * `certkeeper status --check`, a monitoring plugin's contract (Nagios, Icinga, a cron MAILTO): exit 1 when a
 * certificate is expired, revoked, never issued, failing (its last attempt failed), its deployment failed or is
 * behind the stored certificate, or its renewal is overdue by a day; an empty store is a problem too (a monitor
 * pointed at the wrong --data-dir must not stay green).
 */
export function checkStatus(report: StatusReport, now: Date): CheckResult {
  const problems = report.certificates.flatMap((certificate) =>
    problemsOf(certificate, now).map((problem) => ({ names: certificate.identifiers, problem })),
  );
  const total = report.certificates.length;
  if (total === 0)
    return {
      code: ExitCode.FAILED,
      line: 'PROBLEM: no certificates configured or stored (check --config and --data-dir)',
      problems,
    };
  if (problems.length === 0)
    return {
      code: ExitCode.OK,
      line: `OK: ${total} certificate${total === 1 ? '' : 's'} valid, renewing on time and deployed`,
      problems,
    };
  const failing = new Set(problems.map((p) => p.names.join(','))).size;
  const listed = problems.map((p) => `${p.names[0]}${p.names.length > 1 ? ' (+more)' : ''} ${p.problem}`);
  return {
    code: ExitCode.FAILED,
    line: `PROBLEM: ${failing} of ${total} certificate${total === 1 ? '' : 's'}: ${listed.join('; ')}`,
    problems,
  };
}

function problemsOf(certificate: CertificateStatus, now: Date): string[] {
  const problems: string[] = [];
  switch (certificate.state) {
    case 'expired':
      problems.push(`expired ${formatDistance(certificate.notAfter!, now)}`);
      break;
    case 'revoked':
      problems.push('revoked');
      break;
    case 'missing':
      problems.push('not issued yet');
      break;
    case 'due':
      if (now.getTime() - Date.parse(certificate.renewal!.at) > OVERDUE_AFTER_MS)
        problems.push(`renewal overdue (due ${formatDistance(certificate.renewal!.at, now)})`);
      break;
  }
  if (certificate.lastError) problems.push(`failing (${certificate.lastError.failures} in a row)`);
  const deployment = certificate.deployment;
  if (deployment && !deployment.ok) problems.push('deploy failed');
  else if (deployment && !deployment.current && certificate.state !== 'missing')
    problems.push('not deployed');
  return problems;
}

/**
 * `--check` with the dns-persist-01 records `persist publish` wrote: one lapsing within 30 days (or lapsed) needs
 * attention too — renewals answered from it start failing once it does (exit 1, the warning in the line).
 */
export function withPersistWarnings(
  check: CheckResult,
  warnings: readonly { readonly names: readonly string[]; readonly warning: string }[],
): CheckResult {
  if (warnings.length === 0) return check;
  const listed = warnings.map((entry) => entry.warning).join('; ');
  return {
    code: ExitCode.FAILED,
    line: check.code === ExitCode.OK ? `PROBLEM: ${listed}` : `${check.line}; ${listed}`,
    problems: [
      ...check.problems,
      ...warnings.map((entry) => ({ names: entry.names, problem: entry.warning })),
    ],
  };
}
