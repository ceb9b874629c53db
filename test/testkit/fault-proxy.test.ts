import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  createTestTls,
  type FaultProxy,
  faults,
  HARNESS_USER_AGENT,
  type PebbleHandle,
  startFaultProxy,
  startPebble,
} from '@certkeeper/testkit';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueWithDns01 } from './support/issue.js';
import { MiniAcme } from './support/mini-acme.js';

let pebble: PebbleHandle;
let proxy: FaultProxy;
let client: MiniAcme;

beforeAll(async () => {
  pebble = await startPebble();
  proxy = await startFaultProxy({ target: pebble.directoryUrl, caBundlePem: pebble.caBundlePem });
  client = await new MiniAcme(proxy.directoryUrl, proxy.caBundlePem).init();
  expect((await client.newAccount()).status).toBe(201);
});

afterAll(async () => {
  await client?.close();
  await proxy?.close();
  await pebble?.stop();
});

beforeEach(() => {
  proxy.clearRules();
  proxy.clearLog();
});

const orderPayload = (name: string) => ({ identifiers: [{ type: 'dns', value: name }] });

describe('fault proxy passthrough', () => {
  it('carries a whole issuance and keeps the client on the proxy', async () => {
    const directoryUrls = Object.values(client.directory).filter((v): v is string => typeof v === 'string');
    expect(
      directoryUrls.filter((url) => url.startsWith('https://')).every((url) => url.startsWith(proxy.url)),
    ).toBe(true);

    const issued = await issueWithDns01(client, pebble.challtestsrv, ['proxied.example.test']);
    expect(issued.certificatePem).toContain('BEGIN CERTIFICATE');
    expect(issued.orderUrl.startsWith(proxy.url)).toBe(true);

    const log = proxy.log;
    expect(log.map((entry) => entry.kind)).not.toContain('other');
    expect(proxy.count('newOrder')).toBe(1);
    expect(proxy.count('challenge')).toBe(1);
    expect(proxy.count('finalize')).toBe(1);
    expect(proxy.count('cert')).toBe(1);
    expect(proxy.count('authz')).toBeGreaterThanOrEqual(2);
    expect(proxy.count('order')).toBeGreaterThanOrEqual(1);
    for (const entry of log.filter((e) => e.method === 'POST')) {
      expect(entry.jws?.url).toBe(`${proxy.url}${entry.path}`);
      expect(entry.jws?.nonce).toEqual(expect.any(String));
      expect(entry.jws?.kid).toBe(client.accountUrl);
    }
    expect(proxy.reusedNonces()).toEqual([]);
    expect(log.map((e) => e.seq)).toEqual([...log.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('rewrites absolute URLs of a target that writes its own origin (body, Location, Link)', async () => {
    const tls = await createTestTls({ commonName: 'origin-writing upstream' });
    const upstream = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, (req, res) => {
      const self = `https://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      res.setHeader('location', `${self}/order/1`);
      res.setHeader('link', [`<${self}/dir>;rel="index"`, `<${self}/authz/1>;rel="up"`]);
      res.end(JSON.stringify({ newOrder: `${self}/new-order`, path: req.url }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const rewriting = await startFaultProxy({
      target: `https://127.0.0.1:${(upstream.address() as AddressInfo).port}/dir`,
      caBundlePem: tls.caCertificatePem,
    });
    const dispatcher = new Agent({ connect: { ca: rewriting.caBundlePem } });
    try {
      const response = await request(rewriting.directoryUrl, {
        dispatcher,
        headers: { 'user-agent': HARNESS_USER_AGENT },
      });
      expect(await response.body.json()).toEqual({ newOrder: `${rewriting.url}/new-order`, path: '/dir' });
      expect(response.headers.location).toBe(`${rewriting.url}/order/1`);
      expect(response.headers.link).toEqual([
        `<${rewriting.url}/dir>;rel="index"`,
        `<${rewriting.url}/authz/1>;rel="up"`,
      ]);
      expect(rewriting.count('directory')).toBe(1);
    } finally {
      await dispatcher.close();
      await rewriting.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  it('answers 502 with a problem and logs the error when the target is down', async () => {
    const orphan = await startFaultProxy({
      target: 'https://127.0.0.1:1/dir',
      caBundlePem: pebble.caBundlePem,
    });
    const dispatcher = new Agent({ connect: { ca: orphan.caBundlePem } });
    try {
      const response = await request(orphan.directoryUrl, {
        dispatcher,
        headers: { 'user-agent': HARNESS_USER_AGENT },
      });
      expect(response.statusCode).toBe(502);
      expect(await response.body.json()).toMatchObject({ type: 'urn:ietf:params:acme:error:serverInternal' });
      expect(orphan.log[0]).toMatchObject({
        kind: 'directory',
        status: 502,
        error: expect.stringMatching(/unreachable/),
      });
    } finally {
      await dispatcher.close();
      await orphan.close();
    }
  });
});

describe('fault rules', () => {
  it('badNonce: fires `times` times, each with a fresh nonce the client can use at once', async () => {
    const rule = proxy.addRule({ kind: 'newOrder', times: 2, action: faults.badNonce() });
    const first = await client.postOnce(client.directory.newOrder, orderPayload('nonce.example.test'));
    expect(first.status).toBe(400);
    expect(first.json?.type).toBe('urn:ietf:params:acme:error:badNonce');
    const freshNonce = first.headers['replay-nonce'];
    expect(freshNonce).toEqual(expect.any(String));

    const second = await client.postOnce(client.directory.newOrder, orderPayload('nonce.example.test'));
    expect(second.sentNonce).toBe(freshNonce);
    expect(second.status).toBe(400);
    // The third attempt reaches Pebble with the nonce from the second injected answer: Pebble accepts it.
    const third = await client.postOnce(client.directory.newOrder, orderPayload('nonce.example.test'));
    expect(third.status).toBe(201);

    expect(rule.fired).toBe(2);
    expect(rule.remaining).toBe(0);
    expect(proxy.log.map((e) => [e.kind, e.status, e.rule])).toEqual([
      ['newOrder', 400, rule.name],
      ['newOrder', 400, rule.name],
      ['newOrder', 201, undefined],
    ]);
    expect(proxy.reusedNonces()).toEqual([]);
  });

  it('rateLimited: 429 with Retry-After in seconds or as an HTTP-date, then passes', async () => {
    const until = new Date(Date.now() + 3_600_000);
    proxy.addRule({ kind: 'newOrder', times: 1, action: faults.rateLimited({ retryAfter: 7 }) });
    proxy.addRule({ kind: 'newOrder', times: 1, action: faults.rateLimited({ retryAfter: until }) });

    const seconds = await client.postOnce(client.directory.newOrder, orderPayload('limited.example.test'));
    expect(seconds.status).toBe(429);
    expect(seconds.headers['retry-after']).toBe('7');
    expect(seconds.headers['content-type']).toBe('application/problem+json');
    expect(seconds.json).toMatchObject({ type: 'urn:ietf:params:acme:error:rateLimited', status: 429 });
    expect(seconds.headers['replay-nonce']).toEqual(expect.any(String));

    const date = await client.postOnce(client.directory.newOrder, orderPayload('limited.example.test'));
    expect(date.status).toBe(429);
    expect(date.headers['retry-after']).toBe(until.toUTCString());

    expect(
      (await client.postOnce(client.directory.newOrder, orderPayload('limited.example.test'))).status,
    ).toBe(201);
    expect(proxy.count('newOrder')).toBe(3);
  });

  it('serviceUnavailable: 503 with Retry-After on a GET, without a nonce', async () => {
    proxy.addRule({ kind: 'directory', times: 1, action: faults.serviceUnavailable({ retryAfter: 2 }) });
    const busy = await client.get(proxy.directoryUrl);
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('2');
    expect(busy.headers['replay-nonce']).toBeUndefined();
    expect((await client.get(proxy.directoryUrl)).status).toBe(200);
  });

  it('custom problem matched by method and path RegExp', async () => {
    proxy.addRule({
      method: 'POST',
      path: /order-plz$/,
      times: 1,
      action: faults.problem(409, 'alreadyReplaced', 'certificate already replaced'),
    });
    expect((await client.get(client.directory.newNonce, 'HEAD')).status).toBe(200);
    const conflict = await client.postOnce(client.directory.newOrder, orderPayload('replaced.example.test'));
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({
      type: 'urn:ietf:params:acme:error:alreadyReplaced',
      detail: 'certificate already replaced',
    });
  });

  it('reset: drops the connection without an answer, once', async () => {
    proxy.addRule({ kind: 'newNonce', times: 1, action: faults.reset() });
    await expect(client.get(client.directory.newNonce, 'HEAD')).rejects.toMatchObject({
      code: expect.stringMatching(/UND_ERR_SOCKET|ECONNRESET/),
    });
    expect((await client.get(client.directory.newNonce, 'HEAD')).status).toBe(200);
    expect(proxy.log.map((e) => [e.kind, e.status, e.action])).toEqual([
      ['newNonce', undefined, 'reset'],
      ['newNonce', 200, undefined],
    ]);
  });

  it('delay: adds latency, then forwards', async () => {
    proxy.addRule({ kind: 'directory', times: 1, action: faults.delay(250) });
    const started = performance.now();
    expect((await client.get(proxy.directoryUrl)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    expect(proxy.log[0]?.durationMs).toBeGreaterThanOrEqual(245);
  });

  it('probability: hits follow the proxy\u2019s random source; misses pass and do not count', async () => {
    const rolls = [0.9, 0.1, 0.6, 0.3];
    const seeded = await startFaultProxy({
      target: pebble.directoryUrl,
      caBundlePem: pebble.caBundlePem,
      random: () => rolls.shift() ?? 1,
    });
    const dispatcher = new Agent({ connect: { ca: seeded.caBundlePem } });
    try {
      const rule = seeded.addRule({
        kind: 'directory',
        probability: 0.5,
        action: faults.serviceUnavailable(),
      });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await request(seeded.directoryUrl, {
          dispatcher,
          headers: { 'user-agent': HARNESS_USER_AGENT },
        });
        await response.body.dump();
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([200, 503, 200, 503]);
      expect(rule.fired).toBe(2);
    } finally {
      await dispatcher.close();
      await seeded.close();
    }
  });

  it('custom handler: adds renewalInfo to the directory and serves ARI windows', async () => {
    const window = { start: '2030-01-01T00:00:00Z', end: '2030-01-03T00:00:00Z' };
    proxy.addRule({
      kind: 'directory',
      action: faults.respond(async (_request, context) => {
        const upstream = await context.forward();
        return {
          status: upstream.status,
          headers: { 'content-type': 'application/json' },
          body: { ...upstream.json<object>(), renewalInfo: `${context.proxyUrl}/renewal-info` },
        };
      }),
    });
    proxy.addRule({
      kind: 'renewalInfo',
      method: 'GET',
      action: faults.respond((request) => ({
        status: 200,
        headers: { 'content-type': 'application/json', 'retry-after': '21600' },
        body: { suggestedWindow: window, path: request.path },
      })),
    });

    const directory = await client.get(proxy.directoryUrl);
    expect(directory.json?.renewalInfo).toBe(`${proxy.url}/renewal-info`);
    expect(directory.json?.newOrder).toBe(client.directory.newOrder);

    const ari = await client.get(`${proxy.url}/renewal-info/aaaa.bbbb`);
    expect(ari.status).toBe(200);
    expect(ari.headers['retry-after']).toBe('21600');
    expect(ari.json).toEqual({ suggestedWindow: window, path: '/renewal-info/aaaa.bbbb' });
    expect(proxy.count('renewalInfo')).toBe(1);
  });

  it('a removed rule stops firing', async () => {
    const rule = proxy.addRule({ kind: 'directory', action: faults.serviceUnavailable() });
    expect((await client.get(proxy.directoryUrl)).status).toBe(503);
    rule.remove();
    expect(proxy.rules).toEqual([]);
    expect((await client.get(proxy.directoryUrl)).status).toBe(200);
    expect(rule.fired).toBe(1);
  });
});

describe('request log', () => {
  it('reusedNonces() catches a client that replays a signed request', async () => {
    const nonce = String((await client.get(client.directory.newNonce, 'HEAD')).headers['replay-nonce']);
    const body = await client.sign(client.directory.newOrder, orderPayload('replay.example.test'), nonce);
    expect((await client.send(client.directory.newOrder, body)).status).toBe(201);
    const replay = await client.send(client.directory.newOrder, body);
    expect(replay.json?.type).toBe('urn:ietf:params:acme:error:badNonce');
    expect(proxy.reusedNonces()).toEqual([nonce]);
  });

  it('decodes JWS POST-as-GET requests too', async () => {
    await client.post(client.accountUrl!, '');
    const [entry] = proxy.log.filter((e) => e.method === 'POST');
    expect(entry).toMatchObject({
      kind: 'account',
      status: 200,
      jws: { url: client.accountUrl, alg: 'ES256' },
    });
  });
});
