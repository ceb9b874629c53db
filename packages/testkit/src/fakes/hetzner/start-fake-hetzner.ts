import { randomBytes } from 'node:crypto';
import { unquoteTxt } from '@certkeeper/dns';
import { authorizationOf, type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { type HetznerOperation, routeHetzner } from './hetzner-routes.js';
import { type FakeHetznerRrset, type FakeHetznerZone, HetznerStore, hetznerError } from './hetzner-store.js';

/** A token the fake accepts; `readOnly` tokens may only GET (the Console's "Read" permission). */
export interface FakeHetznerToken {
  readonly token: string;
  readonly readOnly?: boolean;
}

export interface FakeHetznerOptions {
  /** Default: one generated Read & Write token. */
  readonly tokens?: readonly FakeHetznerToken[];
  /** How long an action runs before its change is applied and it reports `success`. Default 30 ms. */
  readonly actionDelayMs?: number;
  /** Caps every page below what the client asked for, to exercise pagination. */
  readonly maxPerPage?: number;
  readonly latencyMs?: number;
  /** Publishes the TXT values at a name here when an action finishes (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
}

export interface FakeHetzner {
  /** `http://127.0.0.1:<port>/v1`: the provider's `baseUrl`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly requests: readonly FakeApiLogEntry<HetznerOperation>[];
  addZone(name: string, ttl?: number): FakeHetznerZone;
  /** The RRsets of a zone (copies). */
  rrsets(zone: string): FakeHetznerRrset[];
  /** Sets an RRset directly (values in presentation format, as the API stores them). */
  seed(zone: string, rrset: { name: string; type: string; ttl?: number | null; values: string[] }): void;
  /** HTTP 429 `rate_limit_exceeded` for the next `times` requests, with `RateLimit-Reset` that far ahead. */
  rateLimit(times?: number, resetInSeconds?: number): void;
  injectError(error: { status: number; code: string; operation?: HetznerOperation; times?: number }): void;
  count(operation: HetznerOperation): number;
  resetRequests(): void;
  /** Resolves once every action has finished and every mirror write so far has happened; rejects if one failed. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A local stand-in for the DNS part of the Hetzner Cloud API on 127.0.0.1: zones, RRsets, the `add_records` /
 * `remove_records` actions that run asynchronously, action polling, Bearer tokens (read-only ones refused writes),
 * the `{ "error": { code, message, details } }` envelope, `meta.pagination`, and `RateLimit-*` headers on a 429.
 * README.md beside this file lists what it leaves out.
 */
export async function startFakeHetzner(options: FakeHetznerOptions = {}): Promise<FakeHetzner> {
  const store = new HetznerStore();
  const tokens = options.tokens?.length ? options.tokens : [{ token: randomBytes(32).toString('base64url') }];
  const mirror = new TxtMirrorQueue(options.mirror);
  const pending = new Set<Promise<void>>();
  const mirrorSet = (zone: FakeHetznerZone, name: string) => {
    const host = name === '@' ? zone.name : `${name}.${zone.name}`;
    mirror
      .publish(() => [
        { host, values: (zone.rrsets.get(`${name}/TXT`)?.records ?? []).map((r) => unquoteTxt(r.value)) },
      ])
      .catch(() => undefined);
  };
  const fake = await startJsonApiFake<HetznerOperation>({
    name: 'Hetzner Cloud API',
    latencyMs: options.latencyMs,
    route: (request) =>
      routeHetzner(
        {
          store,
          maxPerPage: options.maxPerPage,
          schedule(action, name, apply) {
            const run = new Promise<void>((resolve) => setTimeout(resolve, options.actionDelayMs ?? 30)).then(
              () => {
                apply();
                action.status = 'success';
                action.finished = new Date().toISOString();
                mirrorSet(store.zones.get(action.zoneId)!, name);
              },
            );
            pending.add(run);
            void run.finally(() => pending.delete(run));
          },
        },
        request,
      ),
    authenticate(request, operation) {
      const presented = authorizationOf(request, 'Bearer');
      const token = tokens.find((candidate) => candidate.token === presented);
      if (!token) throw hetznerError(401, 'unauthorized', 'unable to authenticate');
      if (token.readOnly && request.method !== 'GET' && operation)
        throw hetznerError(403, 'token_readonly', 'The token is only allowed to perform GET requests');
    },
    notFound: () => hetznerError(404, 'not_found', 'not found'),
    badJson: () => hetznerError(400, 'json_error', 'invalid JSON in request body'),
    serverError: (message) => hetznerError(500, 'server_error', message),
  });
  const zoneOf = (name: string) => store.zone(name);
  return {
    baseUrl: `${fake.origin}/v1`,
    token: tokens[0]!.token,
    requests: fake.requests,
    addZone: (name, ttl) => store.addZone(name, ttl),
    rrsets: (zone) => [...zoneOf(zone).rrsets.values()].map((set) => ({ ...set, records: [...set.records] })),
    seed(zone, rrset) {
      const target = zoneOf(zone);
      target.rrsets.set(`${rrset.name}/${rrset.type}`, {
        name: rrset.name,
        type: rrset.type,
        ttl: rrset.ttl ?? null,
        records: rrset.values.map((value) => ({ value, comment: '' })),
      });
      if (rrset.type === 'TXT') mirrorSet(target, rrset.name);
    },
    rateLimit(times = 1, resetInSeconds = 3600) {
      fake.inject({
        status: 429,
        body: {
          error: {
            code: 'rate_limit_exceeded',
            message: 'limit of 3600 requests per hour reached',
            details: {},
          },
        },
        headers: {
          'ratelimit-limit': '3600',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
        },
        times,
      });
    },
    injectError({ status, code, operation, times }) {
      fake.inject({
        status,
        body: { error: { code, message: `injected ${code}`, details: {} } },
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    async settled() {
      await Promise.all([...pending]);
      await mirror.settled('Hetzner Cloud API');
    },
    async stop() {
      await Promise.all([...pending]);
      await mirror.idle();
      await fake.stop();
    },
  };
}
