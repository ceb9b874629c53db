import type { CertificateView } from '../../api/status-document.js';
import type { Row } from '../certificate-rows.js';
import { fill, h, s } from '../dom.js';
import { day, names, plural } from '../format.js';

const DAY = 86_400_000;

/** The stretch of time every timeline on the page shares, so a row's bar lines up with the overview's axis. */
export interface TimeDomain {
  readonly start: number;
  readonly end: number;
  readonly now: number;
}

/** From the earliest start of validity to the latest expiry, within 120 days back and 400 ahead, around today. */
export function domainOf(rows: readonly Row[], now: number): TimeDomain {
  let start = now - 7 * DAY;
  let end = now + 30 * DAY;
  for (const { certificate } of rows) {
    if (certificate.notBefore) start = Math.min(start, Date.parse(certificate.notBefore));
    if (certificate.notAfter) end = Math.max(end, Date.parse(certificate.notAfter));
  }
  return { start: Math.max(start, now - 120 * DAY), end: Math.min(end + DAY, now + 400 * DAY), now };
}

export function at(domain: TimeDomain, time: number): number {
  return Math.max(0, Math.min(1, (time - domain.start) / (domain.end - domain.start)));
}

/** The renewal window: the CA's (ARI), else from the renewal time to expiry. */
export function renewalWindow(certificate: CertificateView): [number, number] | undefined {
  if (!certificate.renewal) return undefined;
  if (certificate.renewal.window)
    return [Date.parse(certificate.renewal.window.start), Date.parse(certificate.renewal.window.end)];
  return certificate.notAfter
    ? [Date.parse(certificate.renewal.at), Date.parse(certificate.notAfter)]
    : undefined;
}

/**
 * The overview above the list: with a few certificates, one lane each (validity, renewal window, renewal time);
 * with many, how many expire in each stretch of time, coloured by condition — with a sentence saying the same
 * for people who do not read charts.
 */
export function renderTimeline(target: HTMLElement, rows: readonly Row[], domain: TimeDomain): void {
  const soon = (days: number) =>
    rows.filter((row) => row.expiry >= domain.now && row.expiry < domain.now + days * DAY).length;
  const expired = rows.filter((row) => row.expiry < domain.now && Number.isFinite(row.expiry)).length;
  const caption = h(
    'p',
    { class: 'timeline-caption' },
    rows.length === 0
      ? 'Nothing to plot yet.'
      : `${plural(soon(7), 'certificate')} expire within 7 days, ${soon(30).toLocaleString('en')} within 30 days${expired ? `, ${expired.toLocaleString('en')} expired` : ''}.`,
  );
  if (rows.length <= 24) {
    fill(target, caption, lanes(rows, domain), axis(domain));
    return;
  }
  // Many certificates: the histogram counts expiries, so its axis starts at the earliest one, not at validity.
  let earliest = domain.now - 14 * DAY;
  for (const row of rows) if (Number.isFinite(row.expiry)) earliest = Math.min(earliest, row.expiry);
  const expiries = { ...domain, start: Math.max(domain.start, earliest - DAY) };
  fill(target, caption, histogram(rows, expiries), axis(expiries));
}

const WIDTH = 1000;

function lanes(rows: readonly Row[], domain: TimeDomain): SVGElement {
  const laneHeight = 22;
  const height = Math.max(1, rows.length) * laneHeight;
  const x = (time: number) => at(domain, time) * WIDTH;
  return s(
    'svg',
    {
      class: 'timeline-chart',
      viewBox: `0 0 ${WIDTH} ${height}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': `Validity and renewal window of ${plural(rows.length, 'certificate')} against today`,
    },
    ...rows.flatMap((row, index) => {
      const { certificate } = row;
      const y = index * laneHeight + 4;
      const parts: SVGElement[] = [];
      const window = renewalWindow(certificate);
      if (certificate.notBefore && certificate.notAfter) {
        const from = x(Date.parse(certificate.notBefore));
        // Validity up to the renewal window; the window itself is drawn in its own colour after it.
        const to = x(Math.min(Date.parse(certificate.notAfter), window?.[0] ?? Number.POSITIVE_INFINITY));
        parts.push(
          s('rect', {
            class: `lane-validity cond-${row.condition}`,
            x: from,
            y,
            width: Math.max(2, to - from),
            height: laneHeight - 8,
            rx: 3,
          }),
        );
      }
      if (window)
        parts.push(
          s('rect', {
            class: 'lane-window',
            x: x(window[0]),
            y,
            width: Math.max(2, x(window[1]) - x(window[0])),
            height: laneHeight - 8,
          }),
        );
      if (certificate.renewal)
        parts.push(
          s('rect', {
            class: 'lane-renewal',
            x: x(Date.parse(certificate.renewal.at)) - 1,
            y: y - 2,
            width: 3,
            height: laneHeight - 4,
          }),
        );
      parts.push(s('title', {}, names(certificate.identifiers)));
      return [s('g', { class: 'lane' }, ...parts)];
    }),
    s('rect', { class: 'today', x: x(domain.now) - 1, y: 0, width: 2, height }),
  );
}

function histogram(rows: readonly Row[], domain: TimeDomain): SVGElement {
  const bins = 80;
  const height = 120;
  const order = ['failing', 'expired', 'revoked', 'due', 'valid'] as const;
  const counts = order.map(() => new Array<number>(bins).fill(0));
  for (const row of rows) {
    if (!Number.isFinite(row.expiry)) continue;
    const bin = Math.min(bins - 1, Math.floor(at(domain, row.expiry) * bins));
    const layer = order.indexOf(row.condition as (typeof order)[number]);
    if (layer >= 0) counts[layer]![bin]! += 1;
  }
  let peak = 1;
  for (let bin = 0; bin < bins; bin++)
    peak = Math.max(
      peak,
      counts.reduce((sum, layer) => sum + layer[bin]!, 0),
    );
  const barWidth = WIDTH / bins;
  const bars: SVGElement[] = [];
  for (let bin = 0; bin < bins; bin++) {
    let top = height;
    for (const [layer, condition] of order.entries()) {
      const count = counts[layer]![bin]!;
      if (!count) continue;
      const barHeight = (count / peak) * (height - 4);
      top -= barHeight;
      bars.push(
        s('rect', {
          class: `bar cond-${condition}`,
          x: bin * barWidth + 1,
          y: top,
          width: barWidth - 2,
          height: barHeight,
        }),
      );
    }
  }
  return s(
    'svg',
    {
      class: 'timeline-chart histogram',
      viewBox: `0 0 ${WIDTH} ${height}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': `Expiry dates of ${plural(rows.length, 'certificate')}, most at ${peak} in one stretch`,
    },
    ...bars,
    s('rect', { class: 'today', x: at(domain, domain.now) * WIDTH - 1, y: 0, width: 2, height }),
  );
}

function axis(domain: TimeDomain): HTMLElement {
  const ticks = 5;
  return h(
    'div',
    { class: 'axis', 'aria-hidden': 'true' },
    ...Array.from({ length: ticks }, (_, index) => {
      const time = domain.start + ((domain.end - domain.start) * index) / (ticks - 1);
      return h('span', {}, day(new Date(time).toISOString()));
    }),
  );
}

/** A row's own bar in the list, on the shared axis: validity, renewal window, renewal time, today. */
export function rowBar(row: Row, domain: TimeDomain): HTMLElement {
  const { certificate } = row;
  const track = h('div', { class: 'bar-track', 'aria-hidden': 'true' });
  const place = (element: HTMLElement, from: number, to: number) => {
    element.style.left = `${at(domain, from) * 100}%`;
    element.style.width = `${Math.max(0.4, (at(domain, to) - at(domain, from)) * 100)}%`;
    track.append(element);
  };
  const window = renewalWindow(certificate);
  if (certificate.notBefore && certificate.notAfter)
    place(
      h('div', { class: `bar-validity cond-${row.condition}` }),
      Date.parse(certificate.notBefore),
      Math.min(Date.parse(certificate.notAfter), window?.[0] ?? Number.POSITIVE_INFINITY),
    );
  if (window) place(h('div', { class: 'bar-window' }), window[0], window[1]);
  const today = h('div', { class: 'bar-today' });
  today.style.left = `${at(domain, domain.now) * 100}%`;
  track.append(today);
  return track;
}
