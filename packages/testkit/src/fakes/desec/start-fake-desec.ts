import { randomBytes } from 'node:crypto';
import { unquoteTxt } from '@certkeeper/dns';
import { authorizationOf, type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { type DesecOperation, routeDesec } from './desec-routes.js';
import { DesecStore, drfError, type FakeDesecDomain, type FakeDesecRrset } from './desec-store.js';
import { type DesecRate, DesecThrottle } from './desec-throttle.js';

/**
 * A token policy (deSEC "token scoping policies"): which RRsets the token may write. The most specific matching
 * policy decides (domain, subname and type all matching first; `null` matches any); without policies a token may
 * write everything.
 */
export interface FakeDesecPolicy {
  readonly domain: string | null;
  readonly subname: string | null;
  readonly type: string | null;
  readonly perm_write: boolean;
}

export interface FakeDesecToken {
  readonly token: string;
  readonly policies?: readonly FakeDesecPolicy[];
}

export interface FakeDesecOptions {
  /** Default: one generated token without policies. */
  readonly tokens?: readonly FakeDesecToken[];
  /** RRset writes per domain (`dns_api_per_domain_expensive`). deSEC: 2/s, 15/min, 100/h, 300/day. Default none. */
  readonly writeRates?: readonly DesecRate[];
  /** Reads per account (`dns_api_cheap`). deSEC: 10/s, 50/min. Default none. */
  readonly readRates?: readonly DesecRate[];
  /** Items per page once pagination is required. deSEC: 500. */
  readonly pageSize?: number;
  /** How long after a write deSEC's nameservers (the mirror) serve it. Default 0. */
  readonly propagationDelayMs?: number;
  readonly latencyMs?: number;
  readonly mirror?: TxtMirror;
}

/** deSEC's rate limits for RRset writes per domain and reads per account, for `writeRates` / `readRates`. */
export const DESEC_RATES = {
  write: [
    { count: 2, periodMs: 1000 },
    { count: 15, periodMs: 60_000 },
    { count: 100, periodMs: 3_600_000 },
    { count: 300, periodMs: 86_400_000 },
  ],
  read: [
    { count: 10, periodMs: 1000 },
    { count: 50, periodMs: 60_000 },
  ],
} as const satisfies Record<string, readonly DesecRate[]>;

export interface FakeDesec {
  /** `http://127.0.0.1:<port>/api/v1`: the provider's `baseUrl`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly requests: readonly FakeApiLogEntry<DesecOperation>[];
  addDomain(name: string, minimumTtl?: number): void;
  rrsets(domain: string): FakeDesecRrset[];
  /** Writes RRsets directly, with the API's validation (records in presentation format). */
  seed(domain: string, rrsets: { subname: string; type: string; ttl: number; records: string[] }[]): void;
  injectError(error: {
    status: number;
    detail: string;
    operation?: DesecOperation;
    times?: number;
    retryAfter?: number;
  }): void;
  count(operation: DesecOperation): number;
  resetRequests(): void;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A local stand-in for the deSEC API on 127.0.0.1: domains (with `owns_qname`), RRsets (read one, list, atomic bulk
 * PATCH), `Authorization: Token` with token policies, Django REST framework error bodies, sliding-window throttling
 * with `Retry-After`, cursor pagination with `Link` headers, and a delay before the nameservers serve a change.
 * README.md beside this file lists what it leaves out.
 */
export async function startFakeDesec(options: FakeDesecOptions = {}): Promise<FakeDesec> {
  const store = new DesecStore();
  const tokens = options.tokens?.length ? options.tokens : [{ token: randomBytes(21).toString('base64url') }];
  const mirror = new TxtMirrorQueue(options.mirror, { propagationDelayMs: options.propagationDelayMs ?? 0 });
  const writes = new DesecThrottle(options.writeRates ?? []);
  const reads = new DesecThrottle(options.readRates ?? []);
  let caller: FakeDesecToken | undefined;
  const mirrorSets = (domain: FakeDesecDomain, subnames: readonly string[]) => {
    mirror
      .publish(() =>
        subnames.map((subname) => ({
          host: subname ? `${subname}.${domain.name}` : domain.name,
          values: (domain.rrsets.get(`${subname}/TXT`)?.records ?? []).map(unquoteTxt),
        })),
      )
      .catch(() => undefined);
  };
  let origin = '';
  const fake = await startJsonApiFake<DesecOperation>({
    name: 'deSEC API',
    latencyMs: options.latencyMs,
    route: (request) =>
      routeDesec(
        {
          store,
          origin: () => origin,
          pageSize: options.pageSize ?? 500,
          charge(kind, domain) {
            if (kind === 'read') reads.take('account');
            else writes.take(domain!);
          },
          touched: mirrorSets,
        },
        request,
      ),
    authenticate(request, operation) {
      const presented = authorizationOf(request, 'Token');
      if (presented === undefined)
        throw drfError(401, { detail: 'Authentication credentials were not provided.' });
      caller = tokens.find((candidate) => candidate.token === presented);
      if (!caller) throw drfError(401, { detail: 'Invalid token.' });
      if (operation === 'rrsets.bulk_patch' && caller.policies?.length) {
        const domain = decodeURIComponent(request.path.split('/')[4] ?? '');
        for (const item of Array.isArray(request.body) ? (request.body as Record<string, unknown>[]) : []) {
          const subname = typeof item.subname === 'string' ? item.subname : '';
          if (!mayWrite(caller.policies, domain, subname, String(item.type)))
            throw drfError(403, { detail: 'You do not have permission to perform this action.' });
        }
      }
    },
    notFound: () => drfError(404, { detail: 'Not found.' }),
    badJson: () => drfError(400, { detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' }),
    serverError: () => drfError(500, { detail: 'A server error occurred.' }),
  });
  origin = fake.origin;
  return {
    baseUrl: `${fake.origin}/api/v1`,
    token: tokens[0]!.token,
    requests: fake.requests,
    addDomain: (name, minimumTtl) => void store.addDomain(name, minimumTtl),
    rrsets: (domain) => [...store.domain(domain).rrsets.values()].map((set) => ({ ...set })),
    seed(domain, rrsets) {
      const target = store.domain(domain);
      store.patch(target, rrsets);
      mirrorSets(
        target,
        rrsets.map((set) => set.subname),
      );
    },
    injectError({ status, detail, operation, times, retryAfter }) {
      fake.inject({
        status,
        body: { detail },
        ...(retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } }),
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    settled: () => mirror.settled('deSEC API'),
    async stop() {
      await mirror.idle();
      await fake.stop();
    },
  };
}

/** The most specific policy wins: domain, subname, type matched in that order of priority (deSEC's table). */
function mayWrite(
  policies: readonly FakeDesecPolicy[],
  domain: string,
  subname: string,
  type: string,
): boolean {
  const score = (policy: FakeDesecPolicy) => {
    if (policy.domain !== null && policy.domain !== domain) return -1;
    if (policy.subname !== null && policy.subname !== subname) return -1;
    if (policy.type !== null && policy.type !== type) return -1;
    return (
      (policy.domain !== null ? 4 : 0) + (policy.subname !== null ? 2 : 0) + (policy.type !== null ? 1 : 0)
    );
  };
  const best = [...policies].filter((policy) => score(policy) >= 0).sort((a, b) => score(b) - score(a))[0];
  return best?.perm_write ?? false;
}
