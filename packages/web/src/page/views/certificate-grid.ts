import type { CertificateView } from '../../api/status-document.js';
import type { Row } from '../certificate-rows.js';
import { fill, h } from '../dom.js';
import { day, relative } from '../format.js';
import { conditionLabel } from './summary.js';
import { rowBar, type TimeDomain } from './timeline.js';

const ROW_HEIGHT = 52;
const OVERSCAN = 8;
const COLUMNS = ['Names', 'Condition', 'Expires', 'Next renewal', 'Timeline', 'Deployment'];

/**
 * The certificate list as an ARIA grid that renders only the rows in view (plus a few): 10 000 certificates are
 * 10 000 entries in an array, not 10 000 rows in the DOM. Focus stays on the grid and `aria-activedescendant`
 * names the active row, so the rows can be recycled while a keyboard user moves through them (↑ ↓ PgUp PgDn
 * Home End; Enter shows the details).
 */
export class CertificateGrid {
  private rows: readonly Row[] = [];
  private domain: TimeDomain = { start: 0, end: 1, now: 0 };
  private active = 0;
  private readonly body: HTMLElement;
  private scheduled = false;

  constructor(
    private readonly grid: HTMLElement,
    private readonly onSelect: (certificate: CertificateView) => void,
  ) {
    grid.setAttribute('aria-colcount', String(COLUMNS.length));
    this.body = h('div', { role: 'rowgroup', class: 'grid-body' });
    fill(
      grid,
      h(
        'div',
        { role: 'rowgroup', class: 'grid-head' },
        h(
          'div',
          { role: 'row', class: 'grid-row', 'aria-rowindex': 1 },
          ...COLUMNS.map((name) => h('div', { role: 'columnheader', class: `col col-${slug(name)}` }, name)),
        ),
      ),
      this.body,
    );
    grid.addEventListener('scroll', () => this.schedule());
    grid.addEventListener('keydown', (event) => this.key(event));
    grid.addEventListener('click', (event) => {
      const row = (event.target as Element).closest<HTMLElement>('[data-index]');
      if (!row) return;
      this.activate(Number(row.dataset.index), false);
      this.select();
    });
    new ResizeObserver(() => this.schedule()).observe(grid);
  }

  show(rows: readonly Row[], domain: TimeDomain): void {
    this.rows = rows;
    this.domain = domain;
    this.active = Math.min(this.active, Math.max(0, rows.length - 1));
    this.grid.setAttribute('aria-rowcount', String(rows.length + 1));
    this.body.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.render();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  private render(): void {
    const top = Math.max(0, this.grid.scrollTop - this.body.offsetTop);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      this.rows.length,
      Math.ceil((top + this.grid.clientHeight) / ROW_HEIGHT) + OVERSCAN,
    );
    const elements: HTMLElement[] = [];
    for (let index = first; index < last; index++) elements.push(this.rowElement(index));
    this.body.replaceChildren(...elements);
    if (this.rows.length) this.grid.setAttribute('aria-activedescendant', `cert-row-${this.active}`);
    else this.grid.removeAttribute('aria-activedescendant');
  }

  private rowElement(index: number): HTMLElement {
    const row = this.rows[index]!;
    const { certificate } = row;
    const now = this.domain.now;
    const element = h(
      'div',
      {
        role: 'row',
        id: `cert-row-${index}`,
        class: `grid-row cond-row-${row.condition}${index === this.active ? ' active' : ''}`,
        'aria-rowindex': index + 2,
        'aria-selected': String(index === this.active),
        'data-index': index,
      },
      h(
        'div',
        { role: 'gridcell', class: 'col col-names' },
        h('span', { class: 'names' }, certificate.identifiers.join(', ')),
        h('span', { class: 'sub' }, certificate.configured ? 'configured' : 'in the store only'),
      ),
      h(
        'div',
        { role: 'gridcell', class: 'col col-condition' },
        h('span', { class: `badge cond-${row.condition}` }, conditionLabel(row.condition)),
      ),
      h(
        'div',
        { role: 'gridcell', class: 'col col-expires' },
        h('span', {}, certificate.notAfter ? day(certificate.notAfter) : 'not issued'),
        h('span', { class: 'sub' }, certificate.notAfter ? relative(certificate.notAfter, now) : ''),
      ),
      h(
        'div',
        { role: 'gridcell', class: 'col col-next-renewal' },
        h('span', {}, renewalText(certificate, now)),
        h('span', { class: 'sub' }, renewalReason(certificate)),
      ),
      h('div', { role: 'gridcell', class: 'col col-timeline' }, rowBar(row, this.domain)),
      h('div', { role: 'gridcell', class: 'col col-deployment' }, deploymentText(certificate)),
    );
    element.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    return element;
  }

  private key(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.grid.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -this.rows.length,
      End: this.rows.length,
    };
    if (event.key in moves) {
      event.preventDefault();
      this.activate(this.active + moves[event.key]!, true);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.select();
    }
  }

  private activate(index: number, scroll: boolean): void {
    if (this.rows.length === 0) return;
    this.active = Math.max(0, Math.min(this.rows.length - 1, index));
    if (scroll) {
      const top = this.body.offsetTop + this.active * ROW_HEIGHT;
      const header = this.body.offsetTop;
      if (top - header < this.grid.scrollTop) this.grid.scrollTop = top - header;
      else if (top + ROW_HEIGHT > this.grid.scrollTop + this.grid.clientHeight)
        this.grid.scrollTop = top + ROW_HEIGHT - this.grid.clientHeight;
    }
    this.render();
  }

  private select(): void {
    const row = this.rows[this.active];
    if (row) this.onSelect(row.certificate);
  }
}

function renewalText(certificate: CertificateView, now: number): string {
  if (certificate.backoff) return `after ${relative(certificate.backoff.until, now).replace(/^in /, '')}`;
  if (certificate.renewal)
    return Date.parse(certificate.renewal.at) <= now
      ? `due ${relative(certificate.renewal.at, now)}`
      : relative(certificate.renewal.at, now);
  return certificate.state === 'missing' ? 'at the next sweep' : '—';
}

function renewalReason(certificate: CertificateView): string {
  if (certificate.backoff)
    return certificate.backoff.rateLimited ? "the CA's rate limit" : 'backing off after a failure';
  if (!certificate.renewal) return '';
  return certificate.renewal.basis === 'ari-window' ? "the CA's ARI window" : certificate.renewal.explanation;
}

function deploymentText(certificate: CertificateView): HTMLElement {
  const deployment = certificate.deployment;
  if (!deployment) return h('span', { class: 'sub' }, certificate.files?.length ? 'files only' : '—');
  if (!deployment.ok) return h('span', { class: 'badge cond-failing' }, `failed ×${deployment.attempts}`);
  return h('span', {}, deployment.current ? 'deployed' : 'previous version deployed');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '-');
}
