import type { ErrorView } from '../../api/status-document.js';
import { fill, h } from '../dom.js';
import { dateTime, names, relative } from '../format.js';

const KINDS: Record<ErrorView['kind'], string> = { order: 'order', deploy: 'deployment', sweep: 'sweep' };

/** The last errors, newest first, each with what to do next. */
export function renderErrors(target: HTMLElement, errors: readonly ErrorView[], now: number): void {
  if (errors.length === 0) {
    fill(target, h('p', { class: 'quiet' }, 'No errors since the daemon started.'));
    return;
  }
  fill(
    target,
    h(
      'ul',
      { class: 'errors' },
      ...errors
        .slice(0, 20)
        .map((error) =>
          h(
            'li',
            { class: 'error' },
            h(
              'p',
              { class: 'error-head' },
              h('strong', {}, error.identifiers.length ? names(error.identifiers) : 'the daemon'),
              ` — ${KINDS[error.kind]} failed `,
              h('time', { datetime: error.at, title: dateTime(error.at) }, relative(error.at, now)),
              error.code ? h('code', {}, error.code) : null,
            ),
            h('p', { class: 'error-message' }, error.message),
            error.next
              ? h('p', { class: 'error-next' }, h('span', { class: 'next-label' }, 'Next: '), error.next)
              : null,
            error.retryAt
              ? h('p', { class: 'quiet' }, `Next attempt ${relative(error.retryAt, now)}.`)
              : null,
          ),
        ),
    ),
  );
}
