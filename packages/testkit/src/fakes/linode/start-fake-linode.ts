import { randomBytes } from 'node:crypto';
import { authorizationOf, type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { type LinodeOperation, routeLinode, WRITES } from './linode-routes.js';
import {
  type FakeLinodeDomain,
  type FakeLinodeRecord,
  fqdnOf,
  LinodeStore,
  linodeError,
} from './linode-store.js';

/** A token the fake accepts, with its OAuth scopes (`domains:read_write`, `domains:read_only`, `*`). */
export interface FakeLinodeToken {
  readonly token: string;
  /** Default `['domains:read_write']`. */
  readonly scopes?: readonly string[];
}

export interface FakeLinodeOptions {
  /** Default: one generated 64-hex-character token with `domains:read_write`. */
  readonly tokens?: readonly FakeLinodeToken[];
  /** Caps every page below what the client asked for (the real floor is 25), to exercise pagination. */
  readonly maxPerPage?: number;
  readonly latencyMs?: number;
  /** Publishes the TXT values at a name here after each change (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
  /** Linode's nameservers serve a change some time after the API accepted it: each mirror update waits this long. */
  readonly propagationDelayMs?: number;
}

export interface FakeLinode {
  /** `http://127.0.0.1:<port>/v4`: the provider's `baseUrl`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly requests: readonly FakeApiLogEntry<LinodeOperation>[];
  addDomain(name: string, type?: 'master' | 'slave'): void;
  /** Records of a domain (copies). */
  records(domain: string): FakeLinodeRecord[];
  /** Adds a record directly, with the API's validation. */
  seed(
    domain: string,
    record: { type: string; name: string; target: string; ttl_sec?: number },
  ): FakeLinodeRecord;
  /** HTTP 429 for the next `times` requests, with `Retry-After` and `X-RateLimit-Reset` that far ahead. */
  rateLimit(times?: number, resetInSeconds?: number): void;
  /** Any other failure (5xx) for the next requests of an operation. */
  injectError(error: { status: number; operation?: LinodeOperation; times?: number }): void;
  count(operation: LinodeOperation): number;
  resetRequests(): void;
  /** Resolves once every mirror write so far has happened; rejects if one failed. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A local stand-in for the Linode v4 Domains API on 127.0.0.1: domains (list with `X-Filter`, get), records (list,
 * create, delete), `page`/`page_size` pagination, Bearer tokens with scopes, the `{ errors: [{ reason, field }] }`
 * envelope, rate-limit headers and delayed propagation. README.md beside this file lists what it leaves out.
 */
export async function startFakeLinode(options: FakeLinodeOptions = {}): Promise<FakeLinode> {
  const store = new LinodeStore();
  const tokens = options.tokens?.length ? options.tokens : [{ token: randomBytes(32).toString('hex') }];
  const mirror = new TxtMirrorQueue(options.mirror, { propagationDelayMs: options.propagationDelayMs ?? 0 });
  const mirrorName = (domain: FakeLinodeDomain, fqdn: string) => {
    mirror
      .publish(() => [
        {
          host: fqdn,
          values: [...domain.records.values()]
            .filter((record) => record.type === 'TXT' && fqdnOf(domain, record) === fqdn)
            .map((record) => record.target),
        },
      ])
      .catch(() => undefined);
  };
  const fake = await startJsonApiFake<LinodeOperation>({
    name: 'Linode API',
    latencyMs: options.latencyMs,
    route: (request) => routeLinode({ store, maxPerPage: options.maxPerPage, touched: mirrorName }, request),
    authenticate(request, operation) {
      const presented = authorizationOf(request, 'Bearer');
      const token = tokens.find((candidate) => candidate.token === presented);
      if (!token) throw linodeError(401, 'Invalid Token');
      const scopes = token.scopes ?? ['domains:read_write'];
      const allowed =
        scopes.includes('*') ||
        scopes.includes('domains:read_write') ||
        (operation !== undefined && !WRITES[operation] && scopes.includes('domains:read_only'));
      if (operation && !allowed) throw linodeError(403, 'Unauthorized');
    },
    notFound: () => linodeError(404, 'Not found'),
    badJson: () => linodeError(400, 'Malformed JSON'),
    serverError: (message) => linodeError(500, `Internal Server Error: ${message}`),
  });
  const domainOf = (name: string) => {
    const domain = store.byName(name);
    if (!domain) throw new Error(`The fake Linode API has no domain ${name}; call addDomain first.`);
    return domain;
  };
  return {
    baseUrl: `${fake.origin}/v4`,
    token: tokens[0]!.token,
    requests: fake.requests,
    addDomain: (name, type) => void store.addDomain(name, type),
    records: (domain) => [...domainOf(domain).records.values()].map((record) => ({ ...record })),
    seed(domain, record) {
      const target = domainOf(domain);
      const created = store.create(target, { ttl_sec: 300, ...record });
      mirrorName(target, fqdnOf(target, created));
      return created;
    },
    rateLimit(times = 1, resetInSeconds = 60) {
      const reset = String(Math.floor(Date.now() / 1000) + resetInSeconds);
      fake.inject({
        status: 429,
        body: { errors: [{ reason: 'Too Many Requests' }] },
        headers: {
          'retry-after': String(resetInSeconds),
          'x-ratelimit-limit': '800',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset,
        },
        times,
      });
    },
    injectError({ status, operation, times }) {
      fake.inject({
        status,
        body: { errors: [{ reason: 'Please try again later' }] },
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    settled: () => mirror.settled('Linode API'),
    async stop() {
      await mirror.idle();
      await fake.stop();
    },
  };
}
