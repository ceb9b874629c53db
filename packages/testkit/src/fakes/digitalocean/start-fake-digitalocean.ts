import { randomBytes } from 'node:crypto';
import { authorizationOf, type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { type DigitalOceanOperation, routeDigitalOcean, SCOPE_OF } from './digitalocean-routes.js';
import {
  DigitalOceanStore,
  doError,
  type FakeDoDomain,
  type FakeDoRecord,
  fqdnOf,
} from './digitalocean-store.js';

/** A token the fake accepts; `scopes` default to every domain scope. */
export interface FakeDoToken {
  readonly token: string;
  readonly scopes?: readonly string[];
}

export interface FakeDigitalOceanOptions {
  /** Default: one generated `dop_v1_` token with domain:read, domain:create, domain:update, domain:delete. */
  readonly tokens?: readonly FakeDoToken[];
  /** Caps every page below what the client asked for, to exercise pagination. */
  readonly maxPerPage?: number;
  readonly latencyMs?: number;
  /** Publishes the TXT values at a name here after each change (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
}

export interface FakeDigitalOcean {
  /** `http://127.0.0.1:<port>/v2`: the provider's `baseUrl`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly requests: readonly FakeApiLogEntry<DigitalOceanOperation>[];
  addDomain(name: string): void;
  /** Records of a domain (copies), the NS record included. */
  records(domain: string): FakeDoRecord[];
  /** Adds a record directly, with the API's validation. */
  seed(domain: string, record: { type: string; name: string; data: string; ttl?: number }): FakeDoRecord;
  /** HTTP 429 `too_many_requests` for the next `times` requests, with `ratelimit-reset` that far ahead. */
  rateLimit(times?: number, resetInSeconds?: number): void;
  /** Any other failure (5xx) for the next requests of an operation. */
  injectError(error: { status: number; operation?: DigitalOceanOperation; times?: number }): void;
  count(operation: DigitalOceanOperation): number;
  resetRequests(): void;
  /** Resolves once every mirror write so far has happened; rejects if one failed. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A local stand-in for the DigitalOcean v2 DNS API on 127.0.0.1: domains, records (list with `type` and fully
 * qualified `name` filters, `links.pages.next` pagination, create, delete), Bearer tokens with custom scopes, the
 * `{ id, message }` error envelope and rate-limit headers. README.md beside this file lists what it leaves out.
 */
export async function startFakeDigitalOcean(
  options: FakeDigitalOceanOptions = {},
): Promise<FakeDigitalOcean> {
  const store = new DigitalOceanStore();
  const tokens = options.tokens?.length
    ? options.tokens
    : [{ token: `dop_v1_${randomBytes(32).toString('hex')}` }];
  const mirror = new TxtMirrorQueue(options.mirror);
  const mirrorName = (domain: FakeDoDomain, fqdn: string) => {
    mirror
      .publish(() => [
        {
          host: fqdn,
          values: [...domain.records.values()]
            .filter((record) => record.type === 'TXT' && fqdnOf(domain, record) === fqdn)
            .map((record) => record.data),
        },
      ])
      .catch(() => undefined);
  };
  let origin = '';
  const fake = await startJsonApiFake<DigitalOceanOperation>({
    name: 'DigitalOcean API',
    latencyMs: options.latencyMs,
    route: (request) =>
      routeDigitalOcean(
        { store, origin: () => origin, maxPerPage: options.maxPerPage, touched: mirrorName },
        request,
      ),
    authenticate(request, operation) {
      const presented = authorizationOf(request, 'Bearer');
      const token = tokens.find((candidate) => candidate.token === presented);
      if (!token) throw doError(401, 'Unauthorized', 'Unable to authenticate you');
      const scopes = token.scopes ?? ['domain:read', 'domain:create', 'domain:update', 'domain:delete'];
      if (operation && !scopes.includes(SCOPE_OF[operation]))
        throw doError(403, 'Forbidden', 'You are not authorized to perform this operation');
    },
    notFound: () => doError(404, 'not_found', 'The resource you were accessing could not be found.'),
    badJson: () => doError(400, 'bad_request', 'unexpected end of JSON input'),
    serverError: (message) => doError(500, 'server_error', `Server Error: ${message}`),
  });
  origin = fake.origin;
  const domainOf = (name: string) => store.domain(name.toLowerCase());
  return {
    baseUrl: `${fake.origin}/v2`,
    token: tokens[0]!.token,
    requests: fake.requests,
    addDomain: (name) => void store.addDomain(name),
    records: (domain) => [...domainOf(domain).records.values()].map((record) => ({ ...record })),
    seed(domain, record) {
      const target = domainOf(domain);
      const created = store.create(target, { ttl: 1800, ...record });
      mirrorName(target, fqdnOf(target, created));
      return created;
    },
    rateLimit(times = 1, resetInSeconds = 60) {
      const reset = String(Math.floor(Date.now() / 1000) + resetInSeconds);
      fake.inject({
        status: 429,
        body: { id: 'too_many_requests', message: 'API Rate limit exceeded.' },
        headers: { 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': reset },
        times,
      });
    },
    injectError({ status, operation, times }) {
      fake.inject({
        status,
        body: { id: 'server_error', message: 'Server was unable to give you a response.' },
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    settled: () => mirror.settled('DigitalOcean API'),
    async stop() {
      await mirror.idle();
      await fake.stop();
    },
  };
}
