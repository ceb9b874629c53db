import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { closeServer, listenOnLoopback } from '../loopback-server.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { decodeContent } from './cloudflare-content.js';
import {
  type CloudflareOperation,
  errorEnvelope,
  type FakeCloudflareToken,
  handleCloudflare,
} from './cloudflare-routes.js';
import {
  CloudflareFault,
  CloudflareStore,
  type FakeCloudflareZone,
  type FakeDnsRecord,
} from './cloudflare-store.js';

export interface FakeCloudflareOptions {
  /** Accepted API tokens; default one generated token with Zone:Read, DNS:Read and DNS:Edit on every zone. */
  readonly tokens?: readonly FakeCloudflareToken[];
  /** Caps every page below what the client asked for, to exercise pagination. */
  readonly maxPerPage?: number;
  /** Delay before each answer, so concurrent clients interleave. */
  readonly latencyMs?: number;
  /** Publishes TXT values here after each change (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
}

export interface CloudflareRequestLogEntry {
  readonly operation: CloudflareOperation | 'unknown';
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** First error code of a failed answer. */
  readonly code?: number;
}

export interface InjectedCloudflareError {
  readonly status: number;
  readonly errors?: readonly { readonly code: number; readonly message: string }[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly operation?: CloudflareOperation;
  /** Default 1. */
  readonly times?: number;
}

export interface FakeCloudflare {
  /** `http://127.0.0.1:<port>/client/v4`: the SDK's `baseURL`. */
  readonly baseUrl: string;
  /** The first accepted token (generated unless given). */
  readonly token: string;
  readonly requests: readonly CloudflareRequestLogEntry[];
  addZone(
    name: string,
    options?: { id?: string; status?: 'active' | 'pending'; accountId?: string },
  ): FakeCloudflareZone;
  /** Records of a zone (copies, content as stored). */
  records(zoneId: string): FakeDnsRecord[];
  /** Adds a record directly (seeding), with the API's validation. */
  seed(zoneId: string, record: { name: string; type: string; content: string; ttl?: number }): FakeDnsRecord;
  injectError(error: InjectedCloudflareError): void;
  /** HTTP 429 code 971 for the next `times` requests, with `Retry-After` when given. */
  rateLimit(times?: number, retryAfterSeconds?: number): void;
  count(operation: CloudflareOperation): number;
  resetRequests(): void;
  /** Resolves once every mirror write so far has happened; rejects if one failed. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a local stand-in for the Cloudflare v4 API on 127.0.0.1: the JSON envelope, zones by name, DNS records
 * (list with filters and paging, create, get, delete), Bearer tokens with permissions, and 429s on demand.
 * README.md beside this file lists what it does not reproduce.
 */
export async function startFakeCloudflare(options: FakeCloudflareOptions = {}): Promise<FakeCloudflare> {
  const store = new CloudflareStore();
  const tokens = options.tokens?.length ? options.tokens : [{ token: randomBytes(30).toString('base64url') }];
  const requests: CloudflareRequestLogEntry[] = [];
  const injected: { error: InjectedCloudflareError; remaining: number }[] = [];
  const mirror = new TxtMirrorQueue(options.mirror);

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let operation: CloudflareOperation | 'unknown' = 'unknown';
    let status = 200;
    let body: Record<string, unknown>;
    let headers: Record<string, string> = {};
    try {
      if (!url.pathname.startsWith('/client/v4/'))
        throw new CloudflareFault(404, [{ code: 7000, message: 'No route for that URI' }]);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = tokens.find((candidate) => candidate.token === bearer);
      if (!token) throw new CloudflareFault(403, [{ code: 10000, message: 'Authentication error' }]);
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        throw new CloudflareFault(400, [{ code: 6007, message: 'Malformed JSON in request body' }]);
      }
      const result = handleCloudflare(
        store,
        {
          method: req.method ?? 'GET',
          path: url.pathname.slice('/client/v4'.length),
          query: url.searchParams,
          body: parsed,
          token,
          maxPerPage: options.maxPerPage,
        },
        (entered) => {
          operation = entered;
          const rule = injected.find(
            (candidate) => candidate.remaining > 0 && (candidate.error.operation ?? entered) === entered,
          );
          if (rule) {
            rule.remaining -= 1;
            throw new CloudflareFault(
              rule.error.status,
              rule.error.errors ?? [{ code: 10000 + rule.error.status, message: 'Injected error' }],
              rule.error.headers,
            );
          }
        },
      );
      body = result.body;
      if (result.touched) mirrorName(result.touched.zone, result.touched.name);
    } catch (error) {
      const fault =
        error instanceof CloudflareFault
          ? error
          : new CloudflareFault(500, [{ code: 10001, message: String(error) }]);
      status = fault.status;
      headers = { ...fault.headers };
      body = errorEnvelope(fault);
    }
    const code = status >= 400 ? (body.errors as { code: number }[])[0]?.code : undefined;
    requests.push({
      operation,
      method: req.method ?? 'GET',
      url: req.url ?? '',
      status,
      ...(code === undefined ? {} : { code }),
    });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  function mirrorName(zone: FakeCloudflareZone, name: string): void {
    mirror
      .publish(() => [
        {
          host: name,
          values: store
            .recordsOf(zone.id)
            .filter((record) => record.type === 'TXT' && record.name === name)
            .map((record) => decodeContent(record.content)),
        },
      ])
      // A failure is kept by the queue and thrown by settled().
      .catch(() => undefined);
  }

  const port = await listenOnLoopback(server, 'Cloudflare API');

  return {
    baseUrl: `http://127.0.0.1:${port}/client/v4`,
    token: tokens[0]!.token,
    requests,
    addZone: (name, zoneOptions) => store.addZone(name, zoneOptions),
    records: (zoneId) => store.recordsOf(zoneId).map((record) => ({ ...record })),
    seed(zoneId, record) {
      const zone = store.zones.get(zoneId);
      if (!zone)
        throw new CertkeeperError(ErrorCodes.TEST_HARNESS, `The fake Cloudflare has no zone ${zoneId}.`, {
          hint: 'Seed records into a zone returned by addZone().',
        });
      const created = store.create(zone, { ttl: 300, ...record });
      mirrorName(zone, created.name);
      return created;
    },
    injectError(error) {
      injected.push({ error, remaining: error.times ?? 1 });
    },
    rateLimit(times = 1, retryAfterSeconds) {
      injected.push({
        error: {
          status: 429,
          errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
          ...(retryAfterSeconds === undefined
            ? {}
            : { headers: { 'retry-after': String(retryAfterSeconds) } }),
        },
        remaining: times,
      });
    },
    count: (operation) => requests.filter((request) => request.operation === operation).length,
    resetRequests() {
      requests.length = 0;
    },
    async settled() {
      await mirror.settled('Cloudflare');
    },
    async stop() {
      await mirror.idle();
      await closeServer(server);
    },
  };
}
