import { createHash, timingSafeEqual } from 'node:crypto';
import {
  FakeApiError,
  type FakeApiLogEntry,
  type FakeApiRequest,
  startJsonApiFake,
} from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';

export type HttpreqOperation = 'present' | 'cleanup' | 'list';

export interface FakeHttpreqOptions {
  /** lego's `HTTPREQ_MODE`: `default` takes `{fqdn, value}`, `raw` takes `{domain, token, keyAuth}`. Default `default`. */
  readonly mode?: 'default' | 'raw';
  /** Basic authentication the server requires; default none. */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** The zones the server can write; a name outside them gets 404. */
  readonly zones: readonly string[];
  /** The TTL the server gives records (lego's protocol carries none). Default 120. */
  readonly ttl?: number;
  readonly latencyMs?: number;
  readonly mirror?: TxtMirror;
}

export interface FakeHttpreq {
  /** `http://127.0.0.1:<port>/hooks`: the provider's `endpoint`. */
  readonly endpoint: string;
  readonly requests: readonly FakeApiLogEntry<HttpreqOperation>[];
  /** The bodies the server received, in order. */
  readonly bodies: readonly { readonly operation: HttpreqOperation; readonly body: unknown }[];
  /** TXT values the server holds at a name (no trailing dot). */
  values(fqdn: string): string[];
  injectError(error: {
    status: number;
    operation?: HttpreqOperation;
    times?: number;
    retryAfter?: number;
  }): void;
  count(operation: HttpreqOperation): number;
  resetRequests(): void;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A reference webhook for lego's `httpreq` protocol on 127.0.0.1, the kind of small server an in-house DNS API
 * puts in front of itself: `POST /hooks/present` and `/hooks/cleanup` with `{fqdn, value}` (default mode) or
 * `{domain, token, keyAuth}` (RAW: the server computes the value), basic authentication checked (401 with
 * `WWW-Authenticate`), 404 for a name outside its zones, and certkeeper's `POST /hooks/list` extension.
 */
export async function startFakeHttpreq(options: FakeHttpreqOptions): Promise<FakeHttpreq> {
  const records = new Map<string, Set<string>>();
  const bodies: { operation: HttpreqOperation; body: unknown }[] = [];
  const zones = options.zones.map((zone) => zone.toLowerCase().replace(/\.$/, ''));
  const mirror = new TxtMirrorQueue(options.mirror);
  const inZone = (name: string) => zones.some((zone) => name === zone || name.endsWith(`.${zone}`));
  const fail = (status: number, error: string, headers: Record<string, string> = {}) =>
    new FakeApiError(status, { error }, headers);

  /** The name and value a present/cleanup body asks for, in either mode. */
  function target(request: FakeApiRequest): { fqdn: string; value: string } {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if ((options.mode ?? 'default') === 'raw') {
      const { domain, token, keyAuth } = body;
      if (
        typeof domain !== 'string' ||
        typeof token !== 'string' ||
        typeof keyAuth !== 'string' ||
        !keyAuth.startsWith(`${token}.`)
      )
        throw fail(400, 'expected {"domain", "token", "keyAuth"}');
      const fqdn = `_acme-challenge.${domain.replace(/^\*\./, '').toLowerCase()}`;
      return { fqdn, value: createHash('sha256').update(keyAuth).digest('base64url') };
    }
    const { fqdn, value } = body;
    if (typeof fqdn !== 'string' || !fqdn.endsWith('.') || typeof value !== 'string' || value === '')
      throw fail(400, 'expected {"fqdn": "<name>.", "value": "<text>"}');
    return { fqdn: fqdn.slice(0, -1).toLowerCase(), value };
  }

  const change = (fqdn: string, apply: (values: Set<string>) => void) => {
    if (!inZone(fqdn)) throw fail(404, `no zone holds ${fqdn}`);
    const values = records.get(fqdn) ?? new Set<string>();
    apply(values);
    if (values.size > 0) records.set(fqdn, values);
    else records.delete(fqdn);
    mirror.publish(() => [{ host: fqdn, values: [...(records.get(fqdn) ?? [])] }]).catch(() => undefined);
  };

  const fake = await startJsonApiFake<HttpreqOperation>({
    name: 'httpreq webhook',
    latencyMs: options.latencyMs,
    route(request) {
      const action = request.path.replace(/^\/hooks\//, '');
      if (request.method !== 'POST' || !['present', 'cleanup', 'list'].includes(action)) return undefined;
      const operation = action as HttpreqOperation;
      return {
        operation,
        handle() {
          bodies.push({ operation, body: request.body });
          if (operation === 'list') {
            const { zone, fqdn } = (request.body ?? {}) as { zone?: unknown; fqdn?: unknown };
            if (typeof zone !== 'string') throw fail(400, 'expected {"zone": "<zone>.", "fqdn"?: "<name>."}');
            const apex = zone.replace(/\.$/, '').toLowerCase();
            if (!inZone(apex)) throw fail(404, `no zone ${apex}`);
            const only = typeof fqdn === 'string' ? fqdn.replace(/\.$/, '').toLowerCase() : undefined;
            return {
              body: [...records].flatMap(([name, values]) =>
                (only === undefined ? name === apex || name.endsWith(`.${apex}`) : name === only)
                  ? [...values].map((value) => ({ fqdn: `${name}.`, value, ttl: options.ttl ?? 120 }))
                  : [],
              ),
            };
          }
          const { fqdn, value } = target(request);
          change(fqdn, (values) => (operation === 'present' ? values.add(value) : values.delete(value)));
          return { status: 200 };
        },
      };
    },
    authenticate(request) {
      if (!options.basicAuth) return;
      const expected = Buffer.from(
        `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`,
      );
      const presented = Buffer.from(request.headers.authorization ?? '');
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
        throw fail(401, 'unauthorized', { 'www-authenticate': 'Basic realm="dns"' });
    },
    notFound: () => fail(404, 'not found'),
    badJson: () => fail(400, 'invalid JSON'),
    serverError: (message) => fail(500, message),
  });
  return {
    endpoint: `${fake.origin}/hooks`,
    requests: fake.requests,
    bodies,
    values: (fqdn) => [...(records.get(fqdn.toLowerCase()) ?? [])],
    injectError({ status, operation, times, retryAfter }) {
      fake.inject({
        status,
        body: { error: `injected ${status}` },
        ...(retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } }),
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: fake.count,
    resetRequests: fake.resetRequests,
    settled: () => mirror.settled('httpreq webhook'),
    async stop() {
      await mirror.idle();
      await fake.stop();
    },
  };
}
