import { randomBytes } from 'node:crypto';
import { unquoteTxt } from '@certkeeper/dns';
import { authorizationOf, type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { type GandiOperation, routeGandi } from './gandi-routes.js';
import { type FakeGandiDomain, type FakeGandiRrset, GandiStore, gandiError } from './gandi-store.js';

/** A personal access token: optionally limited to some domains, and with or without the technical-configuration permission. */
export interface FakeGandiToken {
  readonly token: string;
  /** Domains the token is restricted to; default all. */
  readonly domains?: readonly string[];
  /** "Manage domain name technical configurations"; without it, writes are refused. Default true. */
  readonly manageTechnical?: boolean;
}

export interface FakeGandiOptions {
  readonly tokens?: readonly FakeGandiToken[];
  readonly maxPerPage?: number;
  /** How long after a write LiveDNS's nameservers (the mirror) serve it. Default 0. */
  readonly propagationDelayMs?: number;
  readonly latencyMs?: number;
  readonly mirror?: TxtMirror;
}

export interface FakeGandi {
  /** `http://127.0.0.1:<port>/v5/livedns`: the provider's `baseUrl`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly requests: readonly FakeApiLogEntry<GandiOperation>[];
  addDomain(fqdn: string): void;
  /** Record sets of a domain (copies, values as stored). */
  rrsets(fqdn: string): FakeGandiRrset[];
  /** Writes a record set directly, with the API's validation. */
  seed(fqdn: string, rrset: { name: string; type: string; ttl?: number; values: string[] }): void;
  injectError(error: {
    status: number;
    message: string;
    operation?: GandiOperation;
    times?: number;
    retryAfter?: number;
  }): void;
  count(operation: GandiOperation): number;
  resetRequests(): void;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A local stand-in for Gandi's LiveDNS API (`/v5/livedns`) on 127.0.0.1: domains, record sets (read, list, PUT to
 * create or replace, DELETE), personal access tokens (Bearer) limited to domains and permissions, Gandi's error
 * envelope, `page`/`per_page` with `Total-Count`, TXT values returned quoted, and a propagation delay.
 */
export async function startFakeGandi(options: FakeGandiOptions = {}): Promise<FakeGandi> {
  const store = new GandiStore();
  const tokens = options.tokens?.length ? options.tokens : [{ token: randomBytes(20).toString('hex') }];
  const mirror = new TxtMirrorQueue(options.mirror, { propagationDelayMs: options.propagationDelayMs ?? 0 });
  let caller: FakeGandiToken | undefined;
  let origin = '';
  const mirrorName = (domain: FakeGandiDomain, name: string) => {
    mirror
      .publish(() => [
        {
          host: name === '@' ? domain.fqdn : `${name}.${domain.fqdn}`,
          values: (domain.rrsets.get(`${name}/TXT`)?.values ?? []).map(unquoteTxt),
        },
      ])
      .catch(() => undefined);
  };
  const fake = await startJsonApiFake<GandiOperation>({
    name: 'Gandi LiveDNS API',
    latencyMs: options.latencyMs,
    route: (request) =>
      routeGandi(
        {
          store,
          origin: () => origin,
          maxPerPage: options.maxPerPage,
          visible: (fqdn) => !caller?.domains || caller.domains.includes(fqdn),
          touched: mirrorName,
        },
        request,
      ),
    authenticate(request, operation) {
      const presented = authorizationOf(request, 'Bearer');
      caller = tokens.find((candidate) => candidate.token === presented);
      if (!caller)
        throw gandiError(
          401,
          'The server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad api key), or your access token has expired',
        );
      if ((operation === 'records.put' || operation === 'records.delete') && caller.manageTechnical === false)
        throw gandiError(403, 'Access was denied to this resource.');
    },
    notFound: () => gandiError(404, 'The resource could not be found.'),
    badJson: () =>
      gandiError(400, 'Bad Request', [{ location: 'body', name: 'body', description: 'invalid JSON' }]),
    serverError: (message) => gandiError(500, message),
  });
  origin = fake.origin;
  return {
    baseUrl: `${fake.origin}/v5/livedns`,
    token: tokens[0]!.token,
    requests: fake.requests,
    addDomain: (fqdn) => void store.addDomain(fqdn),
    rrsets: (fqdn) => [...store.domain(fqdn).rrsets.values()].map((set) => ({ ...set })),
    seed(fqdn, rrset) {
      const domain = store.domain(fqdn);
      store.put(domain, rrset.name, rrset.type, {
        rrset_ttl: rrset.ttl ?? 10800,
        rrset_values: rrset.values,
      });
      mirrorName(domain, rrset.name);
    },
    injectError({ status, message, operation, times, retryAfter }) {
      const error = gandiError(
        status,
        message,
        undefined,
        retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
      );
      fake.inject({
        status: error.status,
        body: error.body,
        headers: error.headers,
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    settled: () => mirror.settled('Gandi LiveDNS API'),
    async stop() {
      await mirror.idle();
      await fake.stop();
    },
  };
}
