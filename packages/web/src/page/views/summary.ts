import { CONDITIONS, type Condition, type ConditionFilter } from '../certificate-rows.js';
import { fill, h } from '../dom.js';

const LABELS: Record<Condition, string> = {
  failing: 'Failing',
  expired: 'Expired',
  revoked: 'Revoked',
  missing: 'Not issued',
  due: 'Renewal due',
  valid: 'Valid',
};

export function conditionLabel(condition: Condition): string {
  return LABELS[condition];
}

/** One button per condition with its count; pressing one filters the list to it (pressing again shows all). */
export function renderSummary(
  target: HTMLElement,
  counts: Record<Condition, number>,
  total: number,
  active: ConditionFilter,
  choose: (condition: ConditionFilter) => void,
): void {
  const tile = (condition: ConditionFilter, label: string, count: number, tone: string) =>
    h(
      'button',
      {
        type: 'button',
        class: `tile tone-${tone}`,
        'aria-pressed': String(active === condition),
        onclick: () => choose(active === condition ? 'all' : condition),
      },
      h('span', { class: 'tile-count' }, count.toLocaleString('en')),
      h('span', { class: 'tile-label' }, label),
    );
  fill(
    target,
    tile('all', 'Certificates', total, 'all'),
    ...CONDITIONS.filter(
      (condition) => counts[condition] > 0 || condition === 'failing' || condition === 'valid',
    ).map((condition) => tile(condition, LABELS[condition], counts[condition], condition)),
  );
}
