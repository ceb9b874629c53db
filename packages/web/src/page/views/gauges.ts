import type { RateLimitGauge } from '../../api/status-document.js';
import { fill, h, s } from '../dom.js';
import { names, relative } from '../format.js';

/** A half-circle gauge per rate-limit rule: what the tightest certificate has left of the CA's limit. */
export function renderGauges(target: HTMLElement, gauges: readonly RateLimitGauge[], now: number): void {
  if (gauges.length === 0) {
    fill(target, h('p', { class: 'quiet' }, 'No local rate limits for this CA (ca.rateLimits).'));
    return;
  }
  fill(target, h('ul', { class: 'gauges' }, ...gauges.map((gauge) => item(gauge, now))));
}

function item(gauge: RateLimitGauge, now: number): HTMLElement {
  const share = gauge.limit > 0 ? Math.max(0, Math.min(1, gauge.remaining / gauge.limit)) : 1;
  const tone = gauge.counted === 0 ? 'idle' : share === 0 ? 'empty' : share < 0.25 ? 'low' : 'ok';
  return h(
    'li',
    { class: `gauge tone-${tone}`, 'data-rule': gauge.rule },
    arc(share),
    h(
      'div',
      { class: 'gauge-text' },
      h(
        'p',
        { class: 'gauge-figure' },
        h('strong', {}, gauge.remaining.toLocaleString('en')),
        ` of ${gauge.limit.toLocaleString('en')} left`,
      ),
      h('p', { class: 'gauge-rule' }, gauge.description),
      h(
        'p',
        { class: 'quiet' },
        gauge.counted === 0
          ? 'No certificate counts against it now.'
          : `${gauge.tightest ? `Tightest: ${names(gauge.tightest)}. ` : ''}${gauge.exhausted ? `${gauge.exhausted} at zero. ` : ''}${gauge.remaining < gauge.limit && gauge.nextTokenAt && Date.parse(gauge.nextTokenAt) > now + 60_000 ? `One more ${relative(gauge.nextTokenAt, now)}.` : ''}`,
      ),
    ),
  );
}

function arc(share: number): SVGElement {
  // A 180° arc of radius 40: the track, then the remaining share over it.
  const point = (fraction: number) => {
    const angle = Math.PI * (1 - fraction);
    return `${50 + 40 * Math.cos(angle)} ${50 - 40 * Math.sin(angle)}`;
  };
  return s(
    'svg',
    { class: 'gauge-arc', viewBox: '0 0 100 56', 'aria-hidden': 'true', focusable: 'false' },
    s('path', { class: 'gauge-track', d: `M ${point(0)} A 40 40 0 0 1 ${point(1)}` }),
    share > 0 ? s('path', { class: 'gauge-value', d: `M ${point(0)} A 40 40 0 0 1 ${point(share)}` }) : null,
  );
}
