import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { harnessError } from '../harness-error.js';
import { HARNESS_USER_AGENT } from '../harness-user-agent.js';
import { createTestTls } from '../tls/test-tls.js';
import type { FaultContext, ProxiedRequest } from './faults.js';
import { decodeJws } from './jws.js';
import {
  fromHandler,
  jsonBody,
  problemResponse,
  resetConnection,
  send,
  toUpstreamResponse,
} from './proxy-responses.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import { type ResourceKind, ResourceMap } from './resource-kind.js';
import { type FaultRule, type FaultRuleSpec, InstalledRule } from './rules.js';
import { streamResponse } from './stream-response.js';
import { type RawResponse, Upstream } from './upstream.js';
import { rewriteResponse } from './url-rewriter.js';

export interface FaultProxyOptions {
  /** The ACME directory URL of the server to stand in front of, e.g. `pebble.directoryUrl`. */
  readonly target: string;
  /** CA bundle to trust for the target, e.g. `pebble.caBundlePem`. */
  readonly caBundlePem?: string;
  /** Port on 127.0.0.1; default any free port (bound directly, so no race). */
  readonly port?: number;
  /** Source of randomness for `probability` rules; pass a seeded one to replay a chaos run. */
  readonly random?: () => number;
}

/** A running fault-injection proxy. */
export interface FaultProxy {
  /** The proxy's origin, e.g. `https://127.0.0.1:40999`. */
  readonly url: string;
  /** The target's directory as seen through the proxy: give this to the client under test. */
  readonly directoryUrl: string;
  /** PEM of the throwaway CA that signed the proxy's certificate: the client's CA bundle. */
  readonly caBundlePem: string;
  /** Installs a rule; rules are tried in the order they were added and the first that takes a request wins. */
  addRule(spec: FaultRuleSpec): FaultRule;
  removeRule(rule: FaultRule): void;
  clearRules(): void;
  readonly rules: readonly FaultRule[];
  /** Every request so far, in arrival order. */
  readonly log: readonly RequestLogEntry[];
  /** Number of logged requests of `kind` (and `method`, when given). */
  count(kind: ResourceKind, method?: string): number;
  clearLog(): void;
  /** Nonces sent in more than one JWS; MUST stay empty for a correct client. */
  reusedNonces(): string[];
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts an HTTPS reverse proxy between an ACME client and a server (Pebble), which passes requests through,
 * rewrites the server's URLs to its own, and injects faults by rule: ACME problems (badNonce with a fresh nonce,
 * rateLimited with Retry-After, 503…), reset connections, latency, or any custom response (adding `renewalInfo`
 * to the directory and serving ARI windows, for instance). It logs every request with its resource kind, status,
 * the rule that fired and the JWS nonce and url, so a test can assert that no nonce was ever used twice.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const tls = await createTestTls({ commonName: 'certkeeper fault proxy' });
  const upstream = new Upstream(target, options.caBundlePem);
  const random = options.random ?? Math.random;
  const log = new RequestLog();
  const rules: InstalledRule[] = [];
  let nextRuleId = 1;
  let origin = '';
  let map: ResourceMap;

  const forward = async (request: ProxiedRequest): Promise<RawResponse> =>
    rewriteResponse(
      await upstream.send(request.method, request.path, request.headers, request.body),
      target.origin,
      origin,
    );

  const freshNonce = async (): Promise<string> => {
    const host = { host: new URL(origin).host, 'user-agent': HARNESS_USER_AGENT };
    if (map.pathOf('newNonce') === undefined) {
      const directory = rewriteResponse(
        await upstream.send('GET', target.pathname, host, Buffer.alloc(0)),
        target.origin,
        origin,
      );
      map.learn('directory', directory.headers, jsonBody(directory));
    }
    const path = map.pathOf('newNonce');
    const response = path ? await upstream.send('HEAD', path, host, Buffer.alloc(0)) : undefined;
    const nonce = response?.headers['replay-nonce'];
    if (typeof nonce !== 'string') {
      throw harnessError(
        `The fault proxy could not get a fresh nonce from ${target.origin}${path ?? ' (no newNonce in its directory)'}: HTTP ${response?.status}.`,
        'Check that the proxy target is the ACME directory URL and that the server is running.',
      );
    }
    return nonce;
  };

  const respond = async (request: ProxiedRequest, rule: InstalledRule | undefined): Promise<RawResponse> => {
    const action = rule?.spec.action;
    if (action?.type === 'problem') {
      const nonce = (action.nonce ?? request.method === 'POST') ? await freshNonce() : undefined;
      return problemResponse(action, nonce, `${origin}${target.pathname}`);
    }
    if (action?.type === 'respond') {
      const context: FaultContext = {
        forward: async () => toUpstreamResponse(await forward(request)),
        freshNonce,
        proxyUrl: origin,
      };
      return fromHandler(await action.handler(request, context));
    }
    if (action?.type === 'delay') await new Promise((resolve) => setTimeout(resolve, action.ms));
    return forward(request);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startedAt = performance.now();
    const time = new Date();
    const seq = log.nextSeq();
    const body = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const jws = method === 'POST' ? decodeJws(body) : undefined;
    const request: ProxiedRequest = {
      method,
      path,
      url: `${origin}${path}`,
      kind: map.classify(path),
      headers: req.headers,
      body,
      ...(jws ? { jws } : {}),
    };
    const rule = rules.find((candidate) => candidate.take(request, random));
    const record = (status: number | undefined, error?: string, bytesSent?: number) =>
      log.add({
        seq,
        time,
        method,
        path,
        kind: request.kind,
        status,
        ...(rule ? { rule: rule.name, action: rule.spec.action.type } : {}),
        ...(jws ? { jws: jwsSummary(jws.protected) } : {}),
        durationMs: Math.round(performance.now() - startedAt),
        ...(error ? { error } : {}),
        ...(bytesSent !== undefined ? { bytesSent } : {}),
      });

    if (rule?.spec.action.type === 'reset') {
      record(undefined);
      resetConnection(req.socket);
      return;
    }
    const action = rule?.spec.action;
    if (action?.type === 'stream') {
      // Logged when the stream ends (the client gave up, or the chunks ran out), with the bytes it took.
      const bytes = await streamResponse(res, action).catch(() => undefined);
      record(action.status, undefined, bytes);
      return;
    }
    let response: RawResponse;
    try {
      response = await respond(request, rule);
      if (response.status >= 200 && response.status < 300)
        map.learn(request.kind, response.headers, jsonBody(response));
      record(response.status);
    } catch (error) {
      const detail = `fault proxy: ${rule ? `rule "${rule.name}" failed` : `target ${target.origin} unreachable`}: ${error instanceof Error ? error.message : String(error)}`;
      response = problemResponse(
        {
          type: 'problem',
          status: 502,
          problem: { type: 'urn:ietf:params:acme:error:serverInternal', detail, status: 502 },
        },
        undefined,
        `${origin}${target.pathname}`,
      );
      record(502, detail);
    }
    send(res, response);
  };

  const server = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, (req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        harnessError(
          `The fault proxy could not listen on 127.0.0.1:${options.port ?? 0}: ${error.message}`,
          'Pick another port or leave `port` out.',
          error,
        ),
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  origin = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  map = new ResourceMap(origin, target.pathname);

  const removeRule = (rule: FaultRule) => {
    const index = rules.findIndex((candidate) => candidate.id === rule.id);
    if (index !== -1) rules.splice(index, 1);
  };
  let closing: Promise<void> | undefined;
  return {
    url: origin,
    directoryUrl: `${origin}${target.pathname}`,
    caBundlePem: tls.caCertificatePem,
    addRule(spec) {
      const rule: InstalledRule = new InstalledRule(nextRuleId++, spec, () => removeRule(rule));
      rules.push(rule);
      return rule;
    },
    removeRule,
    clearRules: () => {
      rules.length = 0;
    },
    get rules() {
      return [...rules];
    },
    get log() {
      return log.entries;
    },
    count: (kind, method) => log.count(kind, method),
    clearLog: () => log.clear(),
    reusedNonces: () => log.reusedNonces(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        upstream.close();
      });
      return closing;
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function jwsSummary(header: Readonly<Record<string, unknown>>): RequestLogEntry['jws'] {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { nonce: text(header.nonce), url: text(header.url), kid: text(header.kid), alg: text(header.alg) };
}
