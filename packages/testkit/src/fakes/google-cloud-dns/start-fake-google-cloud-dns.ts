import { type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { type GoogleDnsOperation, routeGoogleDns } from './google-dns-routes.js';
import { type FakeRrset, GoogleDnsStore } from './google-dns-store.js';
import { googleError, unauthenticated } from './google-error.js';
import { type FakeServiceAccount, GoogleOAuth } from './google-oauth.js';

export interface FakeGoogleCloudDnsOptions {
  /** Default `ckt-project`. */
  readonly project?: string;
  /** Caps every page below `maxResults`, to exercise pagination. */
  readonly maxPerPage?: number;
  /** How long a change stays `pending` (and its values stay unpublished to the mirror). Default 150 ms. */
  readonly changeDelayMs?: number;
  /** Lifetime of issued access tokens. Default 3599 s, as Google's. */
  readonly tokenLifetimeSeconds?: number;
  readonly latencyMs?: number;
  /** Publishes the TXT values at a name here once a change is done (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
}

export interface FakeGoogleCloudDns {
  /** `http://127.0.0.1:<port>/dns/v1`: the provider's `baseUrl`. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>/token`, the `token_uri` of every key the fake issues. */
  readonly tokenUri: string;
  /** `127.0.0.1:<port>`: the provider's `metadataHost`. */
  readonly metadataHost: string;
  readonly project: string;
  /** A key of a service account with DNS write access. */
  readonly serviceAccountKey: string;
  readonly requests: readonly FakeApiLogEntry<GoogleDnsOperation>[];
  addServiceAccount(
    name: string,
    options?: { readOnly?: boolean; privateKeyPem?: string },
  ): FakeServiceAccount;
  addAuthorizedUser(): string;
  addZone(name: string, dnsName: string, visibility?: 'public' | 'private'): void;
  rrsets(zone: string): FakeRrset[];
  /** Every access token issued so far stops working (revoked): the API answers 401. */
  revokeTokens(): void;
  /** HTTP 429 `rateLimitExceeded` with `Retry-After` for the next requests (of one operation). */
  rateLimit(options?: { times?: number; retryAfterSeconds?: number; operation?: GoogleDnsOperation }): void;
  injectError(error: { status: number; operation?: GoogleDnsOperation; times?: number }): void;
  count(operation: GoogleDnsOperation): number;
  resetRequests(): void;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A local stand-in for Google Cloud DNS v1 and the OAuth 2 endpoints in front of it, on 127.0.0.1: the token
 * endpoint verifying service-account JWT assertions against the account's public key, the metadata server's
 * token, managed zones (`dnsName` filter), record sets, changes applied atomically with exact-match deletions and
 * `pending` → `done` status, `nextPageToken` pagination and Google's error envelope. README.md beside this file.
 */
export async function startFakeGoogleCloudDns(
  options: FakeGoogleCloudDnsOptions = {},
): Promise<FakeGoogleCloudDns> {
  const project = options.project ?? 'ckt-project';
  const changeDelayMs = options.changeDelayMs ?? 150;
  const store = new GoogleDnsStore();
  let origin = '';
  const oauth = new GoogleOAuth(() => `${origin}/token`, project, options.tokenLifetimeSeconds ?? 3599);
  // Cloud DNS answers a change before its servers serve it: the mirror publishes when the change turns `done`.
  const mirror = new TxtMirrorQueue(options.mirror, { propagationDelayMs: changeDelayMs });
  const publish = (zoneName: string, names: readonly string[]) => {
    const zone = store.zones.get(zoneName);
    if (zone?.visibility !== 'public') return;
    mirror
      .publish(() =>
        names.map((name) => ({
          host: name.replace(/\.$/, ''),
          values: (zone.rrsets.get(`${name}|TXT`)?.rrdatas ?? []).map(unquote),
        })),
      )
      .catch(() => undefined);
  };
  const fake = await startJsonApiFake<GoogleDnsOperation>({
    name: 'Google Cloud DNS API',
    latencyMs: options.latencyMs,
    route: (request) =>
      routeGoogleDns(
        { store, oauth, project, maxPerPage: options.maxPerPage, changeDelayMs, changed: publish },
        request,
      ),
    authenticate(request, operation) {
      if (operation === 'oauth.token') return;
      if (operation === 'metadata.token') {
        if (request.headers['metadata-flavor'] !== 'Google')
          throw googleError(403, 'forbidden', 'Missing required header: Metadata-Flavor');
        return;
      }
      const header = request.headers.authorization ?? '';
      const token = /^Bearer (.+)$/.exec(header)?.[1];
      const issued = token === undefined ? undefined : oauth.tokens.get(token);
      if (!issued || issued.expiresAt <= Date.now()) throw unauthenticated();
      if (issued.readOnly && operation === 'changes.create')
        throw googleError(403, 'forbidden', `Forbidden: ${issued.account} lacks dns.changes.create`);
    },
    notFound: (request) =>
      googleError(404, 'notFound', `The requested URL ${request.path} was not found on this server.`),
    badJson: () => googleError(400, 'parseError', 'Parse Error'),
    serverError: (message) => googleError(500, 'backendError', `Internal error: ${message}`),
  });
  origin = fake.origin;
  const main = oauth.addServiceAccount('certkeeper-dns');
  return {
    baseUrl: `${origin}/dns/v1`,
    tokenUri: `${origin}/token`,
    metadataHost: origin.replace(/^http:\/\//, ''),
    project,
    serviceAccountKey: main.keyJson,
    requests: fake.requests,
    addServiceAccount: (name, accountOptions) => oauth.addServiceAccount(name, accountOptions),
    addAuthorizedUser: () => oauth.addAuthorizedUser(),
    addZone: (name, dnsName, visibility) => void store.addZone(name, dnsName, visibility),
    rrsets: (zone) => [...store.zone(zone).rrsets.values()].map((set) => ({ ...set })),
    revokeTokens: () => oauth.tokens.clear(),
    rateLimit({ times = 1, retryAfterSeconds = 1, operation } = {}) {
      const error = googleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', {
        'retry-after': String(retryAfterSeconds),
      });
      fake.inject({
        status: 429,
        body: error.body,
        headers: error.headers,
        times,
        ...(operation ? { operation } : {}),
      });
    },
    injectError({ status, operation, times }) {
      fake.inject({
        status,
        body: googleError(status, 'backendError', 'Backend Error').body,
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    settled: () => mirror.settled('Google Cloud DNS API'),
    async stop() {
      await mirror.idle();
      await fake.stop();
    },
  };
}

/** The value a resolver sees for one rrdata: quoted strings joined, as written unquoted otherwise. */
function unquote(data: string): string {
  const strings = [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) =>
    match[1]!.replace(/\\(.)/g, '$1'),
  );
  return strings.length > 0 ? strings.join('') : data;
}
