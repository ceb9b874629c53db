import type { CertificateStatus, StatusReport } from '@certkeeper/manager';
import { shortPath, wrapText } from './fit-text.js';
import { formatDistance, formatTime } from './format-time.js';
import { byAccount, caHeader, detailLines, NO_CERTIFICATES, stateText, whyText } from './status-view.js';

/** Labels of a block's lines, padded to one column: `  expires   …`. */
const LABEL_WIDTH = 9;
const INDENT = 2;

/**
 * `certkeeper status` in `width` columns (80 by default): under each CA and account, one block per certificate —
 * its names and state, then one labelled line each for expiry and key type, next renewal and why, issuer, every
 * directory holding its files (`live/`, the store's, the output), its deployment, and the notes `--wide` puts
 * under the table (last error, backoff, order in flight, recipe). No line is wider than `width`: names and notes
 * wrap at spaces, paths lose their middle (`--json` has them whole).
 */
export function renderStatusBlocks(
  report: StatusReport,
  now: Date,
  width: number,
  recipes: ReadonlyMap<string, string> = new Map(),
  cwd = '',
): string {
  if (report.certificates.length === 0)
    return [...fit(caHeader(report), width), '', ...wrapText(NO_CERTIFICATES, width, 0)].join('\n');
  const sections = byAccount(report).map(({ header, certificates }) =>
    [
      ...fit(header, width),
      ...certificates.flatMap((certificate) => ['', ...block(certificate, now, width, recipes, cwd)]),
    ].join('\n'),
  );
  return sections.join('\n\n');
}

/** The CA/account header's lines, each URL shortened to the width. */
function fit(header: string, width: number): string[] {
  return header.split('\n').map((line) => {
    const [label, ...rest] = line.split(' ');
    return `${label} ${shortPath(rest.join(' '), width - label!.length - 1, '')}`;
  });
}

function block(
  certificate: CertificateStatus,
  now: Date,
  width: number,
  recipes: ReadonlyMap<string, string>,
  cwd: string,
): string[] {
  const state = stateText(certificate);
  const names = wrapText(certificate.identifiers.join(', '), width - state.length - 2, INDENT, 0);
  const lines = [`${names[0]!.padEnd(width - state.length)}${state}`, ...names.slice(1)];
  const field = (label: string, value: string) =>
    lines.push(
      ...wrapText(value, width, INDENT + LABEL_WIDTH + 1).map((line, index) =>
        index === 0 ? `${' '.repeat(INDENT)}${label.padEnd(LABEL_WIDTH)} ${line.trimStart()}` : line,
      ),
    );
  const path = (label: string, directory: string) =>
    lines.push(
      `${' '.repeat(INDENT)}${label.padEnd(LABEL_WIDTH)} ${shortPath(`${directory}/`, width - INDENT - LABEL_WIDTH - 1, undefined, cwd)}`,
    );

  if (certificate.notAfter) {
    const key = certificate.keyType
      ? `, key ${certificate.keyType}${certificate.externalKey ? ' (yours, CSR)' : ''}`
      : '';
    field(
      'expires',
      `${formatTime(certificate.notAfter)} (${formatDistance(certificate.notAfter, now)})${key}`,
    );
  }
  if (certificate.renewal)
    field(
      'renews',
      `${formatTime(certificate.renewal.at)} (${formatDistance(certificate.renewal.at, now)}), ${whyText(certificate.renewal)}`,
    );
  else if (certificate.state === 'missing') field('renews', 'issued at the next renew');
  if (certificate.issuer) field('issuer', certificate.issuer);
  for (const set of certificate.files ?? []) path(set.role, set.directory);
  const deployment = deploymentText(certificate);
  if (deployment) field('deploy', deployment);
  const recipe = certificate.key ? recipes.get(certificate.key) : undefined;
  // The deployment has its own line above; the notes keep everything else --wide shows.
  const notes = [
    ...(recipe ? [recipe] : []),
    ...detailLines(certificate, now).filter((line) => !line.startsWith('deploy')),
  ];
  for (const note of notes) lines.push(...wrapText(note, width, INDENT + 2, INDENT));
  return lines;
}

/** ok, failed or behind — or nothing, when no deployment was ever recorded (no output directory, no hook). */
function deploymentText(certificate: CertificateStatus): string | undefined {
  const deployment = certificate.deployment;
  if (!deployment) return undefined;
  if (!deployment.ok)
    return `FAILED (${deployment.attempts} in a row, ${formatTime(deployment.at)}): ${deployment.error?.replace(/\.$/, '') ?? 'no reason recorded'}; the next run tries again`;
  if (!deployment.current && certificate.state !== 'missing')
    return 'the stored certificate is not deployed yet; the next run deploys it';
  return `ok, ${formatTime(deployment.at)}`;
}
