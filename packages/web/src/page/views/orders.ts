import type { OrderView } from '../../api/status-document.js';
import { fill, h } from '../dom.js';
import { names, relative } from '../format.js';

const MARKS = { done: '✓', running: '›', failed: '✗', pending: '·' } as const;
const RESULTS: Record<NonNullable<OrderView['result']>, string> = {
  issued: 'issued',
  renewed: 'renewed',
  failed: 'failed',
  deferred: 'deferred',
  stopped: 'stopped; the next run resumes it',
};

/** Orders in flight, each with its steps and what it waits for (one line per lagging nameserver). */
export function renderOrders(target: HTMLElement, orders: readonly OrderView[], now: number): void {
  if (orders.length === 0) {
    fill(
      target,
      h('p', { class: 'quiet' }, 'No order in flight. Orders appear here, step by step, as they run.'),
    );
    return;
  }
  fill(
    target,
    h(
      'ul',
      { class: 'orders' },
      ...orders.map((order) =>
        h(
          'li',
          {
            class: `order result-${order.result ?? 'running'}`,
            'data-key': order.key,
            'aria-label': `Order for ${names(order.identifiers)}`,
          },
          h(
            'div',
            { class: 'order-head' },
            h('strong', {}, names(order.identifiers)),
            h(
              'span',
              { class: 'order-state' },
              order.result
                ? RESULTS[order.result]
                : order.source === 'store'
                  ? `stored at ${order.phase}, updated ${relative(order.updatedAt, now)}`
                  : `since ${relative(order.startedAt, now)}`,
            ),
          ),
          h(
            'ol',
            { class: 'steps' },
            ...order.steps.map((step) =>
              h(
                'li',
                { class: `step step-${step.state}`, 'data-step': step.step, 'data-state': step.state },
                h('span', { class: 'mark', 'aria-hidden': 'true' }, MARKS[step.state]),
                h('span', {}, step.step),
                h('span', { class: 'visually-hidden' }, ` (${step.state})`),
              ),
            ),
          ),
          order.wait
            ? h(
                'div',
                { class: 'wait' },
                h(
                  'p',
                  { class: 'wait-headline' },
                  order.wait.headline,
                  order.wait.until ? ` — next check ${relative(order.wait.until, now)}` : '',
                ),
                order.wait.items.length
                  ? h('ul', { class: 'wait-items' }, ...order.wait.items.map((item) => h('li', {}, item)))
                  : null,
              )
            : null,
        ),
      ),
    ),
  );
}
