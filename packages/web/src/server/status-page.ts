import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusReport } from '@certkeeper/manager';
import type { AccessDecision, AccessGuard } from './access-guard.js';
import { EventStream, type EventStreamOptions } from './event-stream.js';
import type { LiveFeed } from './live-feed.js';
import { loadPageAssets, type PageAsset } from './page-assets.js';
import { compressed, type Representations, sendRepresentation } from './representation.js';
import { SnapshotCache } from './snapshot-cache.js';
import { ordersOf, statusDocument } from './status-snapshot.js';

export interface StatusPageOptions {
  /** A fresh status report from the store (the daemon: buildStatusReport over its store and configuration). */
  readonly report: () => Promise<StatusReport>;
  readonly feed: LiveFeed;
  readonly guard: AccessGuard;
  /** The built page (default: the package's dist/page). */
  readonly assets?: Map<string, PageAsset>;
  /** See SnapshotCache. */
  readonly maxReportAgeMs?: number;
  readonly minReportIntervalMs?: number;
  readonly events?: EventStreamOptions;
  /**
   * Scrubs known secrets from everything served (the document, every event): the page is an output like stdout,
   * and an error message from a plugin or a hook could quote one. Default: nothing is changed.
   */
  readonly redact?: (text: string) => string;
}

/**
 * The page (`/`, `/assets/…`) and its data (`/api/status`, `/api/events`). The page's files are public — they are
 * the package's own code and hold no data — so a browser can load the page and then ask for the token; the data
 * paths pass the access guard on every request.
 */
export class StatusPage {
  private readonly cache: SnapshotCache;
  private readonly stream: EventStream;
  private api: Representations | undefined;
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly options: StatusPageOptions,
    private readonly assets: Map<string, PageAsset>,
  ) {
    this.cache = new SnapshotCache({
      report: options.report,
      ...(options.maxReportAgeMs !== undefined ? { maxAgeMs: options.maxReportAgeMs } : {}),
      ...(options.minReportIntervalMs !== undefined ? { minIntervalMs: options.minReportIntervalMs } : {}),
    });
    this.stream = new EventStream({
      ...options.events,
      ...(options.redact ? { redact: options.redact } : {}),
    });
    const { feed } = options;
    const onOrders = () => this.stream.send('orders', ordersOf(this.cache.peek(), feed));
    const onErrors = () => this.stream.send('errors', feed.errorsView());
    const onDaemon = () => this.stream.send('daemon', feed.daemonView());
    const onStatus = () => {
      this.cache.invalidate();
      this.stream.send('status', { at: new Date().toISOString() });
    };
    feed.on('orders', onOrders);
    feed.on('errors', onErrors);
    feed.on('daemon', onDaemon);
    feed.on('status', onStatus);
    this.unsubscribe = () => {
      feed.off('orders', onOrders);
      feed.off('errors', onErrors);
      feed.off('daemon', onDaemon);
      feed.off('status', onStatus);
    };
  }

  static async create(options: StatusPageOptions): Promise<StatusPage> {
    return new StatusPage(options, options.assets ?? (await loadPageAssets()));
  }

  /** Serve the request if its path is the page's; false otherwise (the caller serves /metrics, /healthz, 404). */
  handle(request: IncomingMessage, response: ServerResponse, path: string): boolean {
    const asset = this.assets.get(path === '/index.html' ? '/' : path);
    if (asset) {
      sendRepresentation(request, response, asset, asset.cacheControl);
      return true;
    }
    if (path === '/api/status' || path === '/api/events') {
      const access = this.options.guard.check(request);
      if (!access.allowed) {
        refuse(response, access);
        return true;
      }
      if (path === '/api/status') void this.status(request, response);
      else void this.events(request, response);
      return true;
    }
    if (path.startsWith('/api/') || path.startsWith('/assets/')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}\n');
      return true;
    }
    return false;
  }

  close(): void {
    this.unsubscribe();
    this.stream.close();
  }

  private async status(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const document = statusDocument(await this.cache.get(), this.options.feed);
      if (this.api?.digest !== document.digest)
        this.api = compressed(
          Buffer.from(this.options.redact?.(document.text()) ?? document.text(), 'utf8'),
          document.digest,
          'application/json; charset=utf-8',
        );
      sendRepresentation(request, response, this.api, 'private, no-cache');
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      response
        .writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '5' })
        .end(`${JSON.stringify({ error: `the status cannot be read from the store: ${message}` })}\n`);
    }
  }

  private async events(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'HEAD') {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' }).end();
      return;
    }
    const { feed } = this.options;
    this.stream.open(request, response, [
      ['daemon', feed.daemonView()],
      ['orders', ordersOf(await this.cache.get().catch(() => undefined), feed)],
      ['errors', feed.errorsView()],
    ]);
  }
}

function refuse(response: ServerResponse, access: Extract<AccessDecision, { allowed: false }>): void {
  response
    .writeHead(access.status, {
      'content-type': 'application/json; charset=utf-8',
      ...(access.status === 401 ? { 'www-authenticate': 'Bearer realm="certkeeper"' } : {}),
    })
    .end(`${JSON.stringify({ error: access.message })}\n`);
}
