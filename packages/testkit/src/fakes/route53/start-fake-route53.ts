import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '../loopback-server.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { bareName, decodeTxt } from './route53-names.js';
import { handleRoute53 } from './route53-routes.js';
import { type FakeHostedZone, type FakeRecordSet, Route53Fault, Route53Store } from './route53-store.js';
import { errorDocument } from './route53-xml.js';
import { type FakeAwsCredential, verifySigV4 } from './sigv4-verifier.js';

export type Route53Operation =
  | 'ListHostedZones'
  | 'ListHostedZonesByName'
  | 'GetHostedZone'
  | 'ListResourceRecordSets'
  | 'ChangeResourceRecordSets'
  | 'GetChange';

export interface FakeRoute53Options {
  /** Accepted keys; default one generated key with every permission ({@link FakeRoute53.credentials}). */
  readonly credentials?: readonly FakeAwsCredential[];
  /** How long a change stays PENDING before INSYNC. Default 100 ms. */
  readonly changeDelayMs?: number;
  /** Caps every page below the service maximum (100 zones, 300 record sets), to exercise pagination. */
  readonly maxPageSize?: number;
  /**
   * How far the service's clock is ahead of this host's (negative: behind). Signatures older or newer than 15
   * minutes by that clock fail, and the Date header tells the SDK the offset, as with a skewed host clock.
   */
  readonly clockOffsetMs?: number;
  /** Delay before each answer, so concurrent clients' reads and writes interleave as they do over a WAN. */
  readonly latencyMs?: number;
  /** Publishes the TXT values of public zones here once a change is INSYNC (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
}

/** An error the fake answers with for the next matching requests (after authentication, as AWS does). */
export interface InjectedRoute53Error {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly operation?: Route53Operation;
  /** Default 1. */
  readonly times?: number;
}

export interface Route53RequestLogEntry {
  readonly operation: Route53Operation | 'Unknown';
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly code?: string;
  readonly accessKeyId?: string;
}

export interface FakeRoute53 {
  /** `http://127.0.0.1:<port>`: pass as the SDK's `endpoint` with region `us-east-1`. */
  readonly endpoint: string;
  /** The first accepted key (generated unless given). */
  readonly credentials: FakeAwsCredential;
  readonly requests: readonly Route53RequestLogEntry[];
  addHostedZone(name: string, options?: { private?: boolean; id?: string; comment?: string }): FakeHostedZone;
  /** Record sets of a zone in listing order (a copy). */
  recordSets(zoneId: string): FakeRecordSet[];
  /** Adds or replaces a record set directly (seeding), bypassing validation. */
  putRecordSet(zoneId: string, set: FakeRecordSet): void;
  /** Answers the next matching requests with an error (throttling, 5xx, ...). */
  injectError(error: InjectedRoute53Error): void;
  /** Shorthand: Throttling / "Rate exceeded" (HTTP 400), as above 5 requests per second. */
  throttle(
    times?: number,
    code?: 'Throttling' | 'PriorRequestNotComplete',
    operation?: Route53Operation,
  ): void;
  /** Count of logged requests per operation since start or the last {@link resetRequests}. */
  count(operation: Route53Operation): number;
  resetRequests(): void;
  /** Resolves when every INSYNC transition and mirror write so far has happened; rejects if a mirror write failed. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a local stand-in for the Route 53 API (REST/XML, 2013-04-01) on 127.0.0.1, for driving the real AWS SDK:
 * SigV4 checked, hosted zones (public and private of one name), paginated listings, transactional change batches
 * that fail like the service, PENDING → INSYNC changes, and injected throttling. README.md beside this file lists
 * what it does not reproduce.
 */
export async function startFakeRoute53(options: FakeRoute53Options = {}): Promise<FakeRoute53> {
  const store = new Route53Store();
  const credentials = options.credentials?.length
    ? options.credentials
    : [
        {
          accessKeyId: `AKIAFAKE${randomBytes(6).toString('hex').toUpperCase()}`,
          secretAccessKey: randomBytes(30).toString('base64'),
        },
      ];
  const requests: Route53RequestLogEntry[] = [];
  const injected: { error: InjectedRoute53Error; remaining: number }[] = [];
  const mirror = new TxtMirrorQueue(options.mirror);
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();

  const onChange = (changeId: string) => {
    const change = store.changes.get(changeId)!;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(async () => {
        timers.delete(timer);
        const zone = store.zones.get(change.zoneId);
        try {
          // Only public zones are visible to a CA; their values reach "DNS" before the change reports INSYNC.
          if (zone && !zone.private) {
            await mirror.publish(() =>
              change.names.map((name) => ({
                host: bareName(name),
                values: (zone.sets.get(`${name}|TXT`)?.values ?? []).map(decodeTxt),
              })),
            );
          }
        } catch {
          // Kept by the mirror queue and thrown by settled(); the change still goes INSYNC.
        } finally {
          change.status = 'INSYNC';
          resolve();
        }
      }, options.changeDelayMs ?? 100);
      timers.add(timer);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const requestId = randomUUID();
    const entry: { operation: Route53Operation | 'Unknown'; accessKeyId?: string } = { operation: 'Unknown' };
    let status = 200;
    let payload: string;
    let code: string | undefined;
    try {
      const credential = await verifySigV4(
        {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        },
        credentials,
        new Date(Date.now() + (options.clockOffsetMs ?? 0)),
      );
      entry.accessKeyId = credential.accessKeyId;
      const result = handleRoute53(
        {
          store,
          method: req.method ?? 'GET',
          url,
          body: body.toString('utf8'),
          credential,
          maxPageSize: options.maxPageSize,
        },
        (operation) => {
          entry.operation = operation;
          const rule = injected.find(
            (candidate) => candidate.remaining > 0 && (candidate.error.operation ?? operation) === operation,
          );
          if (rule) {
            rule.remaining -= 1;
            throw new Route53Fault(
              rule.error.status,
              rule.error.code,
              rule.error.message,
              rule.error.status >= 500 ? 'Receiver' : 'Sender',
            );
          }
        },
      );
      payload = result.xml;
      if (result.changeId) onChange(result.changeId);
    } catch (error) {
      const fault =
        error instanceof Route53Fault
          ? error
          : new Route53Fault(500, 'InternalFailure', String(error), 'Receiver');
      ({ status, code } = fault);
      payload = errorDocument(fault, requestId);
    }
    requests.push({
      operation: entry.operation,
      method: req.method ?? 'GET',
      url: req.url ?? '',
      status,
      ...(code ? { code } : {}),
      ...(entry.accessKeyId ? { accessKeyId: entry.accessKeyId } : {}),
    });
    res.writeHead(status, {
      'content-type': 'text/xml',
      'x-amzn-requestid': requestId,
      date: new Date(Date.now() + (options.clockOffsetMs ?? 0)).toUTCString(),
    });
    res.end(payload);
  }

  const port = await listenOnLoopback(server, 'Route 53 API');

  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: credentials[0]!,
    requests,
    addHostedZone: (name, zoneOptions) => store.addZone(name, zoneOptions),
    recordSets: (zoneId) => store.sortedSets(store.zone(zoneId)),
    putRecordSet(zoneId, set) {
      store.zone(zoneId).sets.set(`${set.name}|${set.type}`, set);
    },
    injectError(error) {
      injected.push({ error, remaining: error.times ?? 1 });
    },
    throttle(times = 1, throttleCode = 'Throttling', operation) {
      injected.push({
        error: {
          status: 400,
          code: throttleCode,
          message:
            throttleCode === 'Throttling'
              ? 'Rate exceeded'
              : 'The request was rejected because Route 53 was still processing a prior request.',
          ...(operation ? { operation } : {}),
        },
        remaining: times,
      });
    },
    count: (operation) => requests.filter((request) => request.operation === operation).length,
    resetRequests() {
      requests.length = 0;
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
      await mirror.settled('Route 53');
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await mirror.idle();
      await closeServer(server);
    },
  };
}
