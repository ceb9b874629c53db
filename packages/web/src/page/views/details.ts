import type { CertificateView } from '../../api/status-document.js';
import { conditionOf } from '../certificate-rows.js';
import { fill, h } from '../dom.js';
import { dateTime, names, relative } from '../format.js';
import { conditionLabel } from './summary.js';

/** Everything the status knows about one certificate: dates, renewal and why, errors, files, deployment, budgets. */
export function renderDetails(
  target: HTMLElement,
  certificate: CertificateView | undefined,
  now: number,
): void {
  if (!certificate) {
    fill(
      target,
      h('p', { class: 'quiet' }, 'Choose a certificate in the list (Enter or a click) to see its details.'),
    );
    return;
  }
  const facts: [string, string | Node | undefined][] = [
    ['Condition', conditionLabel(conditionOf(certificate))],
    ['Issuer', certificate.issuer],
    [
      'Valid',
      certificate.notBefore
        ? `${dateTime(certificate.notBefore)} → ${dateTime(certificate.notAfter)}`
        : undefined,
    ],
    ['Expires', certificate.notAfter ? relative(certificate.notAfter, now) : undefined],
    [
      'Next renewal',
      certificate.renewal
        ? `${dateTime(certificate.renewal.at)} (${relative(certificate.renewal.at, now)}): ${certificate.renewal.explanation}`
        : undefined,
    ],
    ['CA', certificate.directoryUrl],
    ['Key', certificate.keyType],
    ['Profile', certificate.profile],
    ['Serial', certificate.serialNumberHex],
    [
      'Backoff',
      certificate.backoff
        ? `nothing is sent before ${dateTime(certificate.backoff.until)}: ${certificate.backoff.reason}`
        : undefined,
    ],
    [
      'Last error',
      certificate.lastError
        ? `${certificate.lastError.reason} (${certificate.lastError.failures} in a row, ${relative(certificate.lastError.at, now)})`
        : undefined,
    ],
    [
      'Order in flight',
      certificate.order
        ? `at ${certificate.order.phase}, updated ${relative(certificate.order.updatedAt, now)}`
        : undefined,
    ],
    [
      'Deployment',
      certificate.deployment
        ? `${certificate.deployment.ok ? 'succeeded' : `failed (${certificate.deployment.attempts} attempts): ${certificate.deployment.error ?? ''}`} ${relative(certificate.deployment.at, now)}${certificate.deployment.current ? '' : ', for the previous certificate'}`
        : undefined,
    ],
  ];
  fill(
    target,
    h('h3', {}, names(certificate.identifiers)),
    h(
      'dl',
      { class: 'facts' },
      ...facts
        .filter(([, value]) => value)
        .flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value!)]),
    ),
    certificate.files?.length
      ? h(
          'div',
          {},
          h('h4', {}, 'Files'),
          h(
            'ul',
            { class: 'files' },
            ...certificate.files.map((set) =>
              h('li', {}, `${set.role}: `, h('code', {}, set.directory), ` — ${set.files.join(', ')}`),
            ),
          ),
        )
      : null,
    certificate.budgets.length
      ? h(
          'div',
          {},
          h('h4', {}, 'Rate-limit budget of its next order'),
          h(
            'ul',
            { class: 'budgets' },
            ...certificate.budgets.map((budget) =>
              h(
                'li',
                {},
                `${budget.rule}: ${budget.exempt ? 'exempt' : `${budget.remaining} of ${budget.limit} left`}`,
              ),
            ),
          ),
        )
      : null,
  );
}
