import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveEventName, LiveEvents } from '../api/live-events.js';

export interface EventStreamOptions {
  /** Clients at once (default 32); more get 503, so a page left open in many tabs cannot exhaust the daemon. */
  readonly maxClients?: number;
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  readonly heartbeatMs?: number;
  /** A client that has this much unsent data is too slow and is dropped (default 1 MiB); it reconnects. */
  readonly maxBufferedBytes?: number;
  /** Applied to every event's data before it is sent (secrets scrubbed). */
  readonly redact?: (text: string) => string;
}

/** The `/api/events` clients: server-sent events (text/event-stream), each event a whole list as JSON. */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly maxClients: number;
  private readonly maxBufferedBytes: number;
  private readonly heartbeat: NodeJS.Timeout;
  private sequence = 0;
  private readonly redact: (text: string) => string;

  constructor(options: EventStreamOptions = {}) {
    this.maxClients = options.maxClients ?? 32;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.redact = options.redact ?? ((text) => text);
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) this.write(client, ': keep-alive\n\n');
    }, options.heartbeatMs ?? 15_000).unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Open a stream and send the first events (the current state). */
  open(
    request: IncomingMessage,
    response: ServerResponse,
    initial: readonly { [K in LiveEventName]: [K, LiveEvents[K]] }[LiveEventName][],
  ): void {
    if (this.clients.size >= this.maxClients) {
      response
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' })
        .end(`Too many open event streams (${this.maxClients}); close a tab or retry later.\n`);
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // Tell nginx not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    request.socket.setNoDelay(true);
    this.clients.add(response);
    const forget = () => this.clients.delete(response);
    response.on('close', forget);
    this.write(response, 'retry: 3000\n\n');
    for (const [name, data] of initial) this.write(response, this.frame(name, data));
  }

  send<K extends LiveEventName>(name: K, data: LiveEvents[K]): void {
    if (this.clients.size === 0) return;
    const frame = this.frame(name, data);
    for (const client of this.clients) this.write(client, frame);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private frame(name: LiveEventName, data: unknown): string {
    this.sequence += 1;
    // JSON has no raw newlines, so one data line holds the whole event.
    return `id: ${this.sequence}\nevent: ${name}\ndata: ${this.redact(JSON.stringify(data))}\n\n`;
  }

  private write(client: ServerResponse, text: string): void {
    if (client.writableLength > this.maxBufferedBytes) {
      this.clients.delete(client);
      client.destroy();
      return;
    }
    client.write(text);
  }
}
