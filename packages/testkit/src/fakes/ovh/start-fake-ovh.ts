import { randomBytes } from 'node:crypto';
import { createTestTls } from '../../tls/test-tls.js';
import { type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { type FakeOvhCredentials, type FakeOvhRule, verifyOvhRequest } from './ovh-auth.js';
import { apiPathOf, type OvhOperation, routeOvh } from './ovh-routes.js';
import { type FakeOvhRecord, fqdnOf, OvhStore, ovhError, txtValueOf } from './ovh-store.js';

export interface FakeOvhOptions {
  /** Access rules of the default consumer key. Default: everything (`GET/POST/PUT/DELETE /*`). */
  readonly rules?: readonly FakeOvhRule[];
  /** More applications and consumer keys the fake accepts. */
  readonly credentials?: readonly FakeOvhCredentials[];
  /** The server's clock is this far ahead of the test's (the SDK corrects with `/auth/time`). */
  readonly clockSkewSeconds?: number;
  readonly latencyMs?: number;
  /** Publishes the TXT values at a name here after each zone refresh (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
  /** The nameservers serve a refreshed zone this much later. */
  readonly propagationDelayMs?: number;
}

export interface FakeOvh {
  /** `https://127.0.0.1:<port>/1.0`: the provider's `baseUrl`. */
  readonly baseUrl: string;
  /** The PEM CA certificate of the fake's HTTPS listener: the test must trust it (the SDK has no CA option). */
  readonly caCertificatePem: string;
  readonly applicationKey: string;
  readonly applicationSecret: string;
  readonly consumerKey: string;
  readonly requests: readonly FakeApiLogEntry<OvhOperation>[];
  addZone(name: string): void;
  /** Records of a zone (copies), its NS record included. */
  records(zone: string): FakeOvhRecord[];
  /** Names of a zone changed since its last refresh (not served yet). */
  pending(zone: string): string[];
  /** HTTP 429 for the next `times` requests. */
  rateLimit(times?: number): void;
  /** Any other failure (5xx) for the next requests of an operation. */
  injectError(error: { status: number; operation?: OvhOperation; times?: number }): void;
  count(operation: OvhOperation): number;
  resetRequests(): void;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const EVERYTHING: FakeOvhRule[] = (['GET', 'POST', 'PUT', 'DELETE'] as const).map((method) => ({
  method,
  path: '/*',
}));

/**
 * A local stand-in for the OVHcloud API's DNS zone endpoints on HTTPS 127.0.0.1: `/auth/time`, zones, records (ids
 * listing filtered by `fieldType`/`subDomain`, get, create, delete), zone refresh, signed requests with application
 * and consumer keys and access rules, the `{ class, message }` and `{ errorCode, httpCode, message }` envelopes. Record
 * changes reach the DNS mirror only on refresh. README.md beside this file lists what it leaves out.
 */
export async function startFakeOvh(options: FakeOvhOptions = {}): Promise<FakeOvh> {
  const store = new OvhStore();
  const tls = await createTestTls({ commonName: 'fake OVH API' });
  const main: FakeOvhCredentials = {
    applicationKey: randomBytes(8).toString('hex'),
    applicationSecret: randomBytes(16).toString('hex'),
    consumerKeys: [{ key: randomBytes(16).toString('hex'), rules: options.rules ?? EVERYTHING }],
  };
  const apps = [main, ...(options.credentials ?? [])];
  const now = () => Math.floor(Date.now() / 1000) + (options.clockSkewSeconds ?? 0);
  const mirror = new TxtMirrorQueue(options.mirror, { propagationDelayMs: options.propagationDelayMs ?? 0 });
  const publish = (zone: ReturnType<OvhStore['zone']>, names: readonly string[]) => {
    mirror
      .publish(() =>
        names.map((host) => ({
          host,
          values: [...zone.records.values()]
            .filter((record) => record.fieldType === 'TXT' && fqdnOf(zone, record) === host)
            .map(txtValueOf),
        })),
      )
      .catch(() => undefined);
  };
  const fake = await startJsonApiFake<OvhOperation>({
    name: 'OVHcloud API',
    tls,
    latencyMs: options.latencyMs,
    route: (request) => routeOvh({ store, now, refreshed: publish }, request),
    authenticate(request, operation) {
      const apiPath = apiPathOf(request);
      if (operation === 'auth.time' || apiPath === undefined) return;
      verifyOvhRequest(request, apps, now(), apiPath);
    },
    notFound: () => ovhError(404, 'Client::NotFound', 'Got an invalid (or empty) URL'),
    badJson: () => ovhError(400, 'Client::BadRequest', 'Invalid JSON received'),
    serverError: (message) =>
      ovhError(500, 'Server::InternalServerError', `Internal server error: ${message}`),
  });
  return {
    baseUrl: `${fake.origin}/1.0`,
    caCertificatePem: tls.caCertificatePem,
    applicationKey: main.applicationKey,
    applicationSecret: main.applicationSecret,
    consumerKey: main.consumerKeys[0]!.key,
    requests: fake.requests,
    addZone: (name) => void store.addZone(name),
    records: (zone) => [...store.zone(zone).records.values()].map((record) => ({ ...record })),
    pending: (zone) => [...store.zone(zone).pending],
    rateLimit(times = 1) {
      fake.inject({
        status: 429,
        body: { class: 'Client::TooManyRequests', message: 'Too many requests' },
        times,
      });
    },
    injectError({ status, operation, times }) {
      fake.inject({
        status,
        body: { class: 'Server::ServiceUnavailable', message: 'Service temporarily unavailable' },
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    settled: () => mirror.settled('OVHcloud API'),
    async stop() {
      await mirror.idle();
      await fake.stop();
    },
  };
}
