import { FakeApiError, type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { startAcmeDnsDnsServer } from './acme-dns-dns-server.js';
import { AcmeDnsStore, acmeError, type FakeAcmeDnsAccount } from './acme-dns-store.js';

export type AcmeDnsOperation = 'register' | 'update' | 'health';

export interface FakeAcmeDnsOptions {
  /** The acme-dns domain accounts live under. Default `auth.acme-dns.test`. */
  readonly domain?: string;
  /** The clock acme-dns stamps updates with, in Unix seconds (two updates in one second tie). Default real time. */
  readonly nowSeconds?: () => number;
  readonly latencyMs?: number;
  /** Publishes a subdomain's values here after each update (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
}

export interface FakeAcmeDns {
  /** `http://127.0.0.1:<port>`: the provider's `apiUrl`. */
  readonly apiUrl: string;
  /** `127.0.0.1:<port>`: its DNS server (UDP), the provider's `dnsServer`. */
  readonly dnsServer: string;
  readonly domain: string;
  readonly requests: readonly FakeApiLogEntry<AcmeDnsOperation>[];
  /** Registers directly (what `POST /register` does), for test set-up. */
  register(allowfrom?: readonly string[]): FakeAcmeDnsAccount & { readonly fulldomain: string };
  /** The values the subdomain serves. */
  values(subdomain: string): string[];
  injectError(error: { status: number; error: string; operation?: AcmeDnsOperation; times?: number }): void;
  count(operation: AcmeDnsOperation): number;
  /** DNS questions its DNS server received (clients reading values back). */
  dnsQueries(): number;
  /** Clears the request log and the DNS question count. */
  resetRequests(): void;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A local acme-dns (joohoi/acme-dns) on 127.0.0.1: `POST /register` (with `allowfrom`), `POST /update` authenticated
 * by `X-Api-User` / `X-Api-Key` (and the account's subdomain and networks) answering `{"error": "forbidden"}` with
 * 401 otherwise, its value rule (43 base64url characters; the older of two rows replaced, ties by row order), and
 * its DNS server answering the two values with TTL 1. README.md beside this file lists what it leaves out.
 */
export async function startFakeAcmeDns(options: FakeAcmeDnsOptions = {}): Promise<FakeAcmeDns> {
  const domain = (options.domain ?? 'auth.acme-dns.test').toLowerCase();
  const store = new AcmeDnsStore(options.nowSeconds ?? (() => Math.floor(Date.now() / 1000)));
  const mirror = new TxtMirrorQueue(options.mirror);
  const dns = await startAcmeDnsDnsServer(domain, (subdomain) => store.values(subdomain));
  const withFulldomain = (account: FakeAcmeDnsAccount) => ({
    ...account,
    fulldomain: `${account.subdomain}.${domain}`,
  });
  const fake = await startJsonApiFake<AcmeDnsOperation>({
    name: 'acme-dns',
    latencyMs: options.latencyMs,
    route(request) {
      if (request.method === 'POST' && request.path === '/register')
        return {
          operation: 'register',
          handle() {
            const allowfrom = (request.body as { allowfrom?: unknown } | undefined)?.allowfrom ?? [];
            if (!Array.isArray(allowfrom) || allowfrom.some((cidr) => typeof cidr !== 'string'))
              throw acmeError(400, 'malformed_json_payload');
            const account = withFulldomain(store.register(allowfrom as string[]));
            return { status: 201, body: account };
          },
        };
      if (request.method === 'POST' && request.path === '/update')
        return {
          operation: 'update',
          handle() {
            const body = (request.body ?? {}) as { subdomain?: unknown; txt?: unknown };
            // acme-dns reads the caller's address from the connection; the fake sees loopback only.
            const account = store.authenticate(
              request.headers['x-api-user'],
              request.headers['x-api-key'],
              body.subdomain,
              '127.0.0.1',
            );
            const txt = store.update(account, body.subdomain, body.txt);
            mirror
              .publish(() => [
                { host: `${account.subdomain}.${domain}`, values: store.values(account.subdomain) },
              ])
              .catch(() => undefined);
            return { body: { txt } };
          },
        };
      if (request.method === 'GET' && request.path === '/health')
        return { operation: 'health', handle: () => ({}) };
      return undefined;
    },
    authenticate: () => undefined, // per route: /update checks its headers against the body's subdomain
    notFound: () => new FakeApiError(404, '404 page not found'),
    badJson: () => acmeError(400, 'malformed_json_payload'),
    serverError: () => acmeError(500, 'db_error'),
  });
  return {
    apiUrl: fake.origin,
    dnsServer: `127.0.0.1:${dns.port}`,
    domain,
    requests: fake.requests,
    register: (allowfrom = []) => withFulldomain(store.register(allowfrom)),
    values: (subdomain) => store.values(subdomain),
    injectError({ status, error, operation, times }) {
      fake.inject({
        status,
        body: { error },
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    dnsQueries: dns.queries,
    resetRequests() {
      fake.resetRequests();
      dns.reset();
    },
    settled: () => mirror.settled('acme-dns'),
    async stop() {
      await mirror.idle();
      await dns.close();
      await fake.stop();
    },
  };
}
