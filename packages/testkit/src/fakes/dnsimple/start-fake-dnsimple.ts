import { randomBytes } from 'node:crypto';
import {
  authorizationOf,
  type FakeApiLogEntry,
  type FakeApiRequest,
  startJsonApiFake,
} from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { type DnsimpleOperation, routeDnsimple } from './dnsimple-routes.js';
import {
  DnsimpleStore,
  dnsimpleError,
  type FakeDnsimpleRecord,
  type FakeDnsimpleZone,
  fqdnOf,
  txtValueOf,
} from './dnsimple-store.js';

/** A token the fake accepts: an account token (whoami names the account) or a user token (whoami names the user). */
export interface FakeDnsimpleToken {
  readonly token: string;
  /** The account it may use. Default the fake's account. */
  readonly accountId?: number;
  /** Default `'account'`. */
  readonly kind?: 'account' | 'user';
}

export interface FakeDnsimpleOptions {
  /** Default: one generated account token of account {@link FakeDnsimple.accountId}. */
  readonly tokens?: readonly FakeDnsimpleToken[];
  /** Caps every page below what the client asked for, to exercise pagination. */
  readonly maxPerPage?: number;
  readonly latencyMs?: number;
  /** Publishes the TXT values at a name here after each change (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
  /** DNSimple's nameservers serve a change shortly after the API accepted it: each mirror update waits this long. */
  readonly propagationDelayMs?: number;
}

export interface FakeDnsimple {
  /** `http://127.0.0.1:<port>`: the provider's `baseUrl` (the SDK adds `/v2`). */
  readonly baseUrl: string;
  readonly token: string;
  /** The account of the default token. */
  readonly accountId: number;
  readonly requests: readonly FakeApiLogEntry<DnsimpleOperation>[];
  addZone(name: string, accountId?: number): void;
  /** Records of a zone (copies), the SOA and NS system records included. */
  records(zone: string, accountId?: number): FakeDnsimpleRecord[];
  /** Adds a record directly, with the API's validation. */
  seed(
    zone: string,
    record: { type: string; name: string; content: string; ttl?: number },
  ): FakeDnsimpleRecord;
  /** HTTP 429 for the next `times` requests, with `X-RateLimit-Reset` that far ahead. */
  rateLimit(times?: number, resetInSeconds?: number): void;
  /** Any other failure (5xx) for the next requests of an operation. */
  injectError(error: { status: number; operation?: DnsimpleOperation; times?: number }): void;
  count(operation: DnsimpleOperation): number;
  resetRequests(): void;
  /** Resolves once every mirror write so far has happened; rejects if one failed. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_ACCOUNT = 1010;

/**
 * A local stand-in for the DNSimple v2 API on 127.0.0.1: whoami, zones (list, get), zone records (list with `name`,
 * `name_like` and `type` filters, create, delete), `page`/`per_page` pagination, Bearer account and user tokens,
 * the `{ message, errors }` envelope, rate-limit headers, TXT content normalised to quoted form and delayed
 * propagation. README.md beside this file lists what it leaves out.
 */
export async function startFakeDnsimple(options: FakeDnsimpleOptions = {}): Promise<FakeDnsimple> {
  const store = new DnsimpleStore();
  const tokens = options.tokens?.length
    ? options.tokens
    : [{ token: `dnsimple_a_${randomBytes(24).toString('base64url')}` }];
  const tokenOf = (request: FakeApiRequest) => {
    const presented = authorizationOf(request, 'Bearer');
    return tokens.find((candidate) => candidate.token === presented);
  };
  const mirror = new TxtMirrorQueue(options.mirror, { propagationDelayMs: options.propagationDelayMs ?? 0 });
  const mirrorName = (zone: FakeDnsimpleZone, fqdn: string) => {
    mirror
      .publish(() => [
        {
          host: fqdn,
          values: [...zone.records.values()]
            .filter((record) => record.type === 'TXT' && fqdnOf(zone, record) === fqdn)
            .map(txtValueOf),
        },
      ])
      .catch(() => undefined);
  };
  const fake = await startJsonApiFake<DnsimpleOperation>({
    name: 'DNSimple API',
    latencyMs: options.latencyMs,
    route: (request) =>
      routeDnsimple(
        {
          store,
          maxPerPage: options.maxPerPage,
          whoami(request) {
            const token = tokenOf(request)!;
            const id = token.accountId ?? DEFAULT_ACCOUNT;
            return token.kind === 'user'
              ? { user: { id: 7, email: 'user@example.test' } }
              : { account: { id, email: `account-${id}@example.test` } };
          },
          touched: mirrorName,
        },
        request,
      ),
    authenticate(request) {
      const token = tokenOf(request);
      if (!token) throw dnsimpleError(401, 'Authentication failed');
      // A token used on another account's path: the real answer is not documented; refused as unauthenticated.
      const account = request.path.split('/').filter(Boolean)[1];
      if (
        account !== undefined &&
        /^\d+$/.test(account) &&
        Number(account) !== (token.accountId ?? DEFAULT_ACCOUNT)
      )
        throw dnsimpleError(401, 'Authentication failed');
    },
    notFound: () => dnsimpleError(404, 'Not found'),
    badJson: () => dnsimpleError(400, 'Invalid JSON'),
    serverError: (message) => dnsimpleError(500, `Internal server error: ${message}`),
  });
  const zoneOf = (name: string, accountId = DEFAULT_ACCOUNT) => store.zone(accountId, name);
  return {
    baseUrl: fake.origin,
    token: tokens[0]!.token,
    accountId: tokens[0]!.accountId ?? DEFAULT_ACCOUNT,
    requests: fake.requests,
    addZone: (name, accountId = DEFAULT_ACCOUNT) => void store.addZone(accountId, name),
    records: (zone, accountId) =>
      [...zoneOf(zone, accountId).records.values()].map((record) => ({ ...record })),
    seed(zone, record) {
      const target = zoneOf(zone);
      const created = store.create(target, { ttl: 3600, ...record });
      mirrorName(target, fqdnOf(target, created));
      return created;
    },
    rateLimit(times = 1, resetInSeconds = 60) {
      fake.inject({
        status: 429,
        body: { message: 'API rate limit exceeded' },
        headers: {
          'x-ratelimit-limit': '2400',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
        },
        times,
      });
    },
    injectError({ status, operation, times }) {
      fake.inject({
        status,
        body: { message: 'Service temporarily unavailable' },
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    settled: () => mirror.settled('DNSimple API'),
    async stop() {
      await mirror.idle();
      await fake.stop();
    },
  };
}
