import type { LiveEventName, LiveEvents } from '../api/live-events.js';
import type { CertificateView, StatusDocument } from '../api/status-document.js';
import { ApiClient, type Connection } from './api-client.js';
import {
  type ConditionFilter,
  countByCondition,
  type Filters,
  filtersFromQuery,
  queryOf,
  type Row,
  rowsOf,
  type SortKey,
  select,
} from './certificate-rows.js';
import { byId, fill } from './dom.js';
import { names, plural, relative } from './format.js';
import { CertificateGrid } from './views/certificate-grid.js';
import { renderDetails } from './views/details.js';
import { renderErrors } from './views/errors.js';
import { renderGauges } from './views/gauges.js';
import { renderOrders } from './views/orders.js';
import { renderSummary } from './views/summary.js';
import { domainOf, renderTimeline } from './views/timeline.js';
import { renderTokenForm } from './views/token-form.js';

/**
 * The page: one status document from /api/status, kept current by /api/events (orders, errors and the daemon
 * live; a `status` event fetches the document again). Every region renders itself from this state; the list
 * renders only the rows in view.
 */
class StatusApp {
  private readonly api = new ApiClient();
  private document: StatusDocument | undefined;
  private rows: Row[] = [];
  private filters: Filters = filtersFromQuery(location.search);
  private selectedKey: string | undefined;
  private readonly grid = new CertificateGrid(byId('grid'), (certificate) => this.select(certificate));
  private stream: AbortController | undefined;
  private refetching: Promise<void> | undefined;
  private refetchAgain = false;

  async start(): Promise<void> {
    this.bindFilters();
    setInterval(() => this.renderClockBound(), 30_000);
    await this.load();
  }

  private async load(rejected = false): Promise<void> {
    const status = await this.api.status().catch((error: unknown) => {
      this.connection('offline', error instanceof Error ? error.message : String(error));
      return undefined;
    });
    if (status === 'unauthorized') {
      this.connection('unauthorized');
      byId('content').hidden = true;
      renderTokenForm(byId('gate'), rejected, (token) => {
        this.api.setToken(token);
        void this.load(true);
      });
      return;
    }
    if (!status) {
      setTimeout(() => void this.load(), 5000);
      return;
    }
    fill(byId('gate'));
    byId('content').hidden = false;
    this.apply(status);
    this.follow();
  }

  private follow(): void {
    this.stream?.abort();
    this.stream = new AbortController();
    void this.api.follow(
      (name, data) => this.live(name, data),
      (state) => {
        this.connection(state);
        // A change made before the stream was connected (the first load's fetch, or while it was offline) sent no
        // event this page heard: read the status once more now that every later change will.
        if (state === 'live') void this.refetch();
        if (state === 'unauthorized') {
          this.api.forgetToken();
          void this.load(true);
        }
      },
      this.stream.signal,
    );
  }

  private live<K extends LiveEventName>(name: K, data: LiveEvents[K]): void {
    if (!this.document) return;
    if (name === 'status') {
      void this.refetch();
      return;
    }
    const key = name as Exclude<LiveEventName, 'status'>;
    this.document = { ...this.document, [key]: data };
    this.render(key);
  }

  /** One fetch at a time; events during it cause exactly one more. */
  private async refetch(): Promise<void> {
    if (this.refetching) {
      this.refetchAgain = true;
      return;
    }
    this.refetching = (async () => {
      do {
        this.refetchAgain = false;
        const status = await this.api.status().catch(() => undefined);
        if (status && status !== 'unauthorized') this.apply(status);
      } while (this.refetchAgain);
    })().finally(() => {
      this.refetching = undefined;
    });
  }

  private apply(document: StatusDocument): void {
    performance.mark('certkeeper:status-received');
    this.document = document;
    this.rows = rowsOf(document.certificates);
    performance.mark('certkeeper:rows-indexed');
    this.render('all');
    // Marks for the benchmark (test/bench/status-page.ts) and anyone profiling the page in DevTools.
    performance.mark('certkeeper:rendered');
  }

  private render(part: 'all' | 'orders' | 'errors' | 'daemon'): void {
    const document = this.document;
    if (!document) return;
    const now = Date.now();
    if (part === 'all' || part === 'orders') renderOrders(byId('orders'), document.orders, now);
    if (part === 'all' || part === 'errors') renderErrors(byId('errors'), document.errors, now);
    if (part === 'all' || part === 'daemon') this.renderDaemon(now);
    if (part !== 'all') return;
    fill(
      byId('where'),
      `CA ${document.directoryUrl}`,
      document.accountUrl ? ` · account ${document.accountUrl}` : ' · no account yet',
    );
    renderGauges(byId('limits'), document.rateLimits, now);
    this.renderCertificates(now);
  }

  private renderCertificates(now: number): void {
    const selected = select(this.rows, this.filters);
    const domain = domainOf(this.rows, now);
    renderSummary(
      byId('summary'),
      countByCondition(this.rows),
      this.rows.length,
      this.filters.condition,
      (condition) => this.setFilters({ ...this.filters, condition }),
    );
    renderTimeline(byId('timeline'), selected, domain);
    this.grid.show(selected, domain);
    const total = this.rows.length;
    byId('shown').textContent =
      selected.length === total
        ? plural(total, 'certificate')
        : `${selected.length.toLocaleString('en')} of ${plural(total, 'certificate')}`;
    const empty = byId('empty');
    empty.hidden = selected.length > 0;
    empty.textContent =
      total === 0
        ? 'No certificates configured or stored yet. Add some under certificates: in the configuration, or run certkeeper issue <names…>.'
        : 'No certificate matches these filters.';
    byId('grid').hidden = selected.length === 0;
    // Nothing to list at all: no filters, no details panel, just what to do.
    byId('filters').hidden = total === 0;
    byId('list-and-details').hidden = total === 0;
    const chosen = this.selectedKey
      ? this.document?.certificates.find((certificate) => keyOf(certificate) === this.selectedKey)
      : undefined;
    renderDetails(byId('details'), chosen, now);
  }

  private renderDaemon(now: number): void {
    const daemon = this.document?.daemon;
    if (!daemon) return;
    const element = byId('daemon');
    element.className = `daemon ${daemon.lastSweepError ? 'daemon-failing' : ''}`;
    element.textContent = daemon.lastSweepError
      ? `The last sweep failed: ${daemon.lastSweepError}`
      : `${daemon.running ? 'Running' : 'Stopping'} since ${relative(daemon.startedAt, now)}${daemon.lastSweepAt ? ` · last sweep ${relative(daemon.lastSweepAt, now)}` : ' · first sweep running'}${daemon.nextSweepAt ? ` · next ${relative(daemon.nextSweepAt, now)}` : ''}`;
  }

  /** Relative times ("in 3 days") drift: redraw what shows them. */
  private renderClockBound(): void {
    if (this.document) this.render('all');
  }

  private select(certificate: CertificateView): void {
    this.selectedKey = keyOf(certificate);
    renderDetails(byId('details'), certificate, Date.now());
  }

  private bindFilters(): void {
    const search = byId<HTMLInputElement>('search');
    const show = byId<HTMLSelectElement>('show');
    const sort = byId<HTMLSelectElement>('sort');
    search.value = this.filters.query;
    show.value = this.filters.condition;
    sort.value = this.filters.sort;
    let typing: ReturnType<typeof setTimeout> | undefined;
    search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => this.setFilters({ ...this.filters, query: search.value }), 120);
    });
    show.addEventListener('change', () =>
      this.setFilters({ ...this.filters, condition: show.value as ConditionFilter }),
    );
    sort.addEventListener('change', () => this.setFilters({ ...this.filters, sort: sort.value as SortKey }));
    byId('filters').addEventListener('submit', (event) => event.preventDefault());
  }

  private setFilters(filters: Filters): void {
    this.filters = filters;
    byId<HTMLSelectElement>('show').value = filters.condition;
    history.replaceState(null, '', `${location.pathname}${queryOf(filters)}`);
    this.renderCertificates(Date.now());
  }

  private connection(state: Connection, detail?: string): void {
    const element = byId('connection');
    element.dataset.state = state;
    element.textContent =
      state === 'live'
        ? 'live'
        : state === 'connecting'
          ? 'connecting…'
          : state === 'unauthorized'
            ? 'token needed'
            : `offline${detail ? `: ${detail}` : ''} — retrying`;
  }
}

function keyOf(certificate: CertificateView): string {
  return certificate.key ?? names(certificate.identifiers);
}

void new StatusApp().start();
