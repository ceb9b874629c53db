// The hostile-CA suite (issue 11): what a CA can do to us, through the whole manager — ensure() on a real store, a
// real Pebble behind the fault proxy, and forged answers where Pebble would never misbehave.
//
// Bounds this suite holds the code to (packages/core/README.md, "Bounds on what the CA says"):
// - time: every request has a total deadline, here DEADLINE_MS (3 s; 60 s by default), so each case ends after a
//   bounded number of requests × 3 s. Cases that hit the deadline assert the deadline the error recorded — and that
//   only the first byte of a 20 s trickle had come — rather than timing themselves.
// - memory: a body is read only up to its resource's cap plus one network chunk (64 KiB): asserted on the bytes the
//   error says were read, and on what the proxy managed to write before the client hung up.
// - storage: a refused answer leaves no certificate and no order in the store; the failure's backoff names the order.
import type { webcrypto } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CertificateRejectedError,
  DEFAULT_MAX_RETRY_AFTER_MS,
  type Logger,
  RESPONSE_BODY_LIMITS,
  type RedirectRefusedError,
  type RequestDeadlineError,
  type ResponseTooLargeError,
} from '@certkeeper/core';
import type { StandaloneHttp01Solver } from '@certkeeper/http01';
import { type CertificateManager, createCertificateManager, type ManagerOptions } from '@certkeeper/manager';
import { certificateKey, type EnsureOutcome, setBackoffKey } from '@certkeeper/policy';
import { FileStore, MemoryStore, type Store } from '@certkeeper/store';
import { type FaultProxy, faults, type ProxiedResponse, type UpstreamResponse } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ProxiedPebble, startProxiedPebble } from '../support/proxied-pebble.js';
import { rejectionOf } from '../support/rejection.js';
import { csrPublicKey, forgeCa, forgeLeaf, leafOnly } from './forged-chain.js';

const DEADLINE_MS = 3_000;
/** The most a capped read may hold past its cap: one network chunk. */
const CHUNK = 64 * 1024;

describe('a hostile CA, through CertificateManager.ensure', () => {
  let ca: ProxiedPebble;
  let proxy: FaultProxy;
  let http01: StandaloneHttp01Solver;
  let pebbleRoot: string;
  /** A plain-HTTP listener standing in for wherever an http:// URL from the CA points: it must never be reached. */
  let cleartext: Server;
  let cleartextUrl: string;
  let cleartextRequests = 0;
  const managers: CertificateManager[] = [];
  const directories: string[] = [];

  const compose = (store: Store, extra: Partial<ManagerOptions> = {}) => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`),
      error: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`),
    };
    const manager = createCertificateManager({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      trustAnchors: pebbleRoot,
      requestDeadlineMs: DEADLINE_MS,
      account: { contact: ['mailto:ops@example.test'] },
      store,
      solvers: [http01],
      metrics: false,
      logger,
      ...extra,
    });
    managers.push(manager);
    return { manager, warnings };
  };

  const fileStore = async () => {
    const directory = await mkdtemp(join(tmpdir(), 'certkeeper-hostile-'));
    directories.push(directory);
    return FileStore.open({ directory });
  };

  /** The account the manager registered in `store`, and the certificate key of `name` under it. */
  const keysOf = async (store: Store, name: string) => {
    const account = await store.getAccount(proxy.directoryUrl, 'default');
    const request = {
      directoryUrl: proxy.directoryUrl,
      accountUrl: account!.accountUrl,
      identifiers: [{ type: 'dns' as const, value: name }],
    };
    return { certificate: certificateKey(request), backoff: setBackoffKey(request) };
  };

  /** Nothing that should not be there: no certificate record, no order left behind, no PEM file in a FileStore. */
  const expectNothingStored = async (store: Store, name: string) => {
    const keys = await keysOf(store, name);
    expect(await store.listCertificates()).toEqual([]);
    expect(await store.getCertificate(keys.certificate)).toBeUndefined();
    expect(await store.getOrder(keys.certificate)).toBeUndefined();
    if (store instanceof FileStore) {
      const files = await readdir(store.directory, { recursive: true });
      expect(
        files.filter((file) => file.endsWith('.pem') || (file.startsWith('orders/') && file.length > 7)),
      ).toEqual([]);
    }
  };

  const failed = (outcome: EnsureOutcome) => {
    expect(outcome.type, outcome.reason).toBe('failed');
    return outcome as Extract<EnsureOutcome, { type: 'failed' }>;
  };

  const passthrough = (upstream: UpstreamResponse, body?: string): ProxiedResponse => ({
    status: upstream.status,
    headers: Object.fromEntries(
      Object.entries(upstream.headers).filter(
        (entry): entry is [string, string | string[]] => entry[1] !== undefined,
      ),
    ),
    body: body ?? upstream.body,
  });

  /** Answer the certificate download with `chain(csrKey, realChain)` instead of what Pebble issued. */
  const replaceCertificate = (
    chain: (csrKey: webcrypto.CryptoKey, real: string) => Promise<string> | string,
  ) => {
    let csr: string | undefined;
    proxy.addRule({
      kind: 'finalize',
      method: 'POST',
      times: 1,
      action: faults.respond(async (request, context) => {
        csr = (JSON.parse(request.jws!.payload) as { csr: string }).csr;
        return passthrough(await context.forward());
      }),
    });
    proxy.addRule({
      kind: 'cert',
      method: 'POST',
      times: 1,
      action: faults.respond(async (_request, context) => {
        const upstream = await context.forward();
        const forged = await chain(await csrPublicKey(csr!), upstream.body.toString('utf8'));
        return passthrough(upstream, forged);
      }),
    });
  };

  /** The certificate rejection a failed outcome carries, after checking what a refused certificate must leave. */
  const rejection = async (store: Store, name: string, outcome: EnsureOutcome) => {
    const error = failed(outcome).error as CertificateRejectedError;
    expect(error.code).toBe('CERTKEEPER_ERR_CERTIFICATE_REJECTED');
    expect(error.orderUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    await expectNothingStored(store, name);
    // The order is recorded: its URL is in the backoff's reason, and the CA's issuance is in the ledger.
    const backoff = await store.getBackoff((await keysOf(store, name)).backoff);
    expect(backoff?.reason).toContain(error.orderUrl!);
    expect(Date.parse(backoff!.retryAt)).toBeGreaterThan(Date.now());
    const ledger = await store.queryLedger({
      directoryUrl: proxy.directoryUrl,
      since: new Date(Date.now() - 3_600_000).toISOString(),
      kinds: ['certificate'],
      identifierSet: `dns:${name}`,
    });
    expect(ledger).toHaveLength(1);
    return error;
  };

  beforeAll(async () => {
    ca = await startProxiedPebble();
    ({ proxy, http01 } = ca);
    pebbleRoot = await ca.pebble.rootCertificatePem();
    cleartext = createServer((_req, res) => {
      cleartextRequests++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => cleartext.listen(0, '127.0.0.1', resolve));
    cleartextUrl = `http://127.0.0.1:${(cleartext.address() as { port: number }).port}`;
  });
  afterEach(() => {
    proxy.clearRules();
    proxy.clearLog();
  });
  afterAll(async () => {
    await Promise.all(managers.map((manager) => manager.close()));
    await ca?.stop();
    cleartext?.close();
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  });

  it('accepts what an honest CA issues: the chain verifies up to the configured trust anchor', async () => {
    const store = await fileStore();
    const outcome = await compose(store).manager.ensure({ identifiers: ['honest.hostile.example.test'] });
    expect(outcome.type, outcome.reason).toBe('issued');
    expect(await store.listCertificates()).toHaveLength(1);
  });

  it('refuses a certificate for another key (a real one from the same CA), and stores nothing', async () => {
    const name = 'other-key.hostile.example.test';
    const elsewhere = new MemoryStore();
    const stolen = await compose(elsewhere).manager.ensure({ identifiers: [name] });
    expect(stolen.type).toBe('issued');
    const stolenPem = (stolen as Extract<EnsureOutcome, { type: 'issued' | 'renewed' }>).certificate
      .certificatePem;
    const store = await fileStore();
    replaceCertificate(() => stolenPem);
    const error = await rejection(store, name, await compose(store).manager.ensure({ identifiers: [name] }));
    expect(error.findings.map((finding) => finding.check)).toEqual(['key']);
    expect(error.message).toContain("is not the CSR's");
  });

  it('refuses a certificate for other names from an untrusted issuer, naming expected and found', async () => {
    const name = 'other-names.hostile.example.test';
    const evilRoot = await forgeCa('Evil Root');
    const evilIntermediate = await forgeCa('Evil Intermediate', evilRoot);
    const store = await fileStore();
    replaceCertificate(
      async (key) =>
        `${await forgeLeaf(evilIntermediate, key, ['victim.example.test'])}${evilIntermediate.pem}`,
    );
    const error = await rejection(store, name, await compose(store).manager.ensure({ identifiers: [name] }));
    expect(error.findings.map((finding) => finding.check)).toEqual(['names', 'trust']);
    expect(error.findings[0]).toMatchObject({ expected: [name], found: ['victim.example.test'] });
    expect(error.findings[1]!.detail).toContain('issued by CN=Evil Root');
  });

  it('refuses a chain that ends at a self-signed issuer which is no trust anchor', async () => {
    const name = 'self-signed.hostile.example.test';
    const selfSigned = await forgeCa('Pebble Root CA look-alike');
    const store = new MemoryStore();
    replaceCertificate(async (key) => `${await forgeLeaf(selfSigned, key, [name])}${selfSigned.pem}`);
    const error = await rejection(store, name, await compose(store).manager.ensure({ identifiers: [name] }));
    expect(error.findings).toEqual([
      expect.objectContaining({ check: 'trust', detail: expect.stringContaining('self-signed') }),
    ]);
  });

  it('refuses a truncated chain (the leaf alone), naming the missing issuer at depth 1', async () => {
    const name = 'truncated.hostile.example.test';
    const store = new MemoryStore();
    replaceCertificate((_key, real) => leafOnly(real));
    const error = await rejection(store, name, await compose(store).manager.ensure({ identifiers: [name] }));
    expect(error.findings).toEqual([
      expect.objectContaining({ check: 'chain', depth: 1, detail: expect.stringContaining('truncated') }),
    ]);
  });

  it('clamps Retry-After: 1000000000000 to the 7-day ceiling, warning with the value received', async () => {
    const name = 'retry-after.hostile.example.test';
    const store = new MemoryStore();
    proxy.addRule({ kind: 'newOrder', action: faults.rateLimited({ retryAfter: 1_000_000_000_000 }) });
    const { manager, warnings } = compose(store);
    const before = Date.now();
    const outcome = await manager.ensure({ identifiers: [name] });
    expect(outcome.type, outcome.reason).toBe('deferred');
    const until = (outcome as Extract<EnsureOutcome, { type: 'deferred' }>).until.getTime();
    expect(until).toBeGreaterThanOrEqual(before + DEFAULT_MAX_RETRY_AFTER_MS);
    expect(until).toBeLessThanOrEqual(Date.now() + DEFAULT_MAX_RETRY_AFTER_MS);
    expect(warnings.some((warning) => warning.includes('Retry-After: 1000000000000'))).toBe(true);
    // The stored backoff says the same (not the year 33715), and the next ensure sends nothing before it.
    const backoff = await store.getBackoff((await keysOf(store, name)).backoff);
    expect(Date.parse(backoff!.retryAt)).toBeLessThanOrEqual(Date.now() + DEFAULT_MAX_RETRY_AFTER_MS);
    proxy.clearLog();
    expect((await manager.ensure({ identifiers: [name] })).type).toBe('deferred');
    expect(proxy.count('newOrder', 'POST')).toBe(0);
    await expectNothingStored(store, name);
  });

  it('stops reading an endless directory body at its cap, then moves on with a failure', async () => {
    const name = 'endless-directory.hostile.example.test';
    const store = new MemoryStore();
    // Registered first, so the directory is fetched inside the order flow of a new manager (a new process).
    await compose(store).manager.ensure({ identifiers: ['registered.hostile.example.test'] });
    proxy.addRule({ kind: 'directory', method: 'GET', action: faults.endlessBody() });
    const outcome = failed(await compose(store).manager.ensure({ identifiers: [name] }));
    const error = outcome.error as ResponseTooLargeError;
    expect(error).toMatchObject({ code: 'CERTKEEPER_ERR_RESPONSE_TOO_LARGE', resource: 'directory' });
    expect(error.limitBytes).toBe(RESPONSE_BODY_LIMITS.directory);
    expect(error.bytesRead).toBeLessThanOrEqual(RESPONSE_BODY_LIMITS.directory + CHUNK);
    // What the proxy got rid of before the client hung up: socket buffers, not the 8 GiB of old.
    await expect.poll(() => proxy.log.find((entry) => entry.action === 'stream')?.bytesSent).toBeDefined();
    expect(proxy.log.find((entry) => entry.action === 'stream')!.bytesSent!).toBeLessThan(16 * 1024 * 1024);
    expect(await store.getCertificate((await keysOf(store, name)).certificate)).toBeUndefined();
    expect((await store.getBackoff((await keysOf(store, name)).backoff))?.reason).toContain('too large');
  });

  it('stops reading an endless certificate body at the chain cap', async () => {
    const name = 'endless-chain.hostile.example.test';
    const store = new MemoryStore();
    proxy.addRule({
      kind: 'cert',
      method: 'POST',
      action: faults.endlessBody({ contentType: 'application/pem-certificate-chain' }),
    });
    const error = failed(await compose(store).manager.ensure({ identifiers: [name] }))
      .error as ResponseTooLargeError;
    expect(error).toMatchObject({ resource: 'certificate', limitBytes: RESPONSE_BODY_LIMITS.certificate });
    expect(error.bytesRead).toBeLessThanOrEqual(RESPONSE_BODY_LIMITS.certificate + CHUNK);
    await expectNothingStored(store, name);
  });

  it('ends an answer trickled one byte every 20 s at the request deadline', async () => {
    const name = 'trickle.hostile.example.test';
    const store = new MemoryStore();
    proxy.addRule({
      kind: 'authz',
      method: 'POST',
      times: 1,
      action: faults.trickle({ intervalMs: 20_000 }),
    });
    const error = failed(await compose(store).manager.ensure({ identifiers: [name] }))
      .error as RequestDeadlineError;
    expect(error.code).toBe('CERTKEEPER_ERR_REQUEST_DEADLINE');
    // The deadline that ended it is the configured one, and only the first byte had come: not the one due at 20 s.
    expect(error).toMatchObject({ deadlineMs: DEADLINE_MS, bytesRead: 1, method: 'POST' });
    await expectNothingStored(store, name);
    expect((await store.getBackoff((await keysOf(store, name)).backoff))?.reason).toContain('deadline');
  });

  it('fails with a typed protocol error on invalid JSON, never blaming certkeeper', async () => {
    const name = 'invalid-json.hostile.example.test';
    const store = new MemoryStore();
    proxy.addRule({
      kind: 'order',
      method: 'POST',
      times: 1,
      action: faults.respond(async (_request, context) => ({
        status: 200,
        headers: { 'content-type': 'application/json', 'replay-nonce': await context.freshNonce() },
        body: '{"status": "valid", "certificate": ',
      })),
    });
    const error = failed(await compose(store).manager.ensure({ identifiers: [name] })).error as Error & {
      code: string;
    };
    expect(error.code).toBe('CERTKEEPER_ERR_PROTOCOL');
    expect(error.message).toContain('invalid JSON');
    expect(error.message).not.toMatch(/certkeeper bug|report it/i);
    await expectNothingStored(store, name);
  });

  it('refuses an http:// URL in the directory before any signed request or contact address goes out', async () => {
    const store = new MemoryStore();
    proxy.addRule({
      kind: 'directory',
      method: 'GET',
      action: faults.respond(async (_request, context) => {
        const upstream = await context.forward();
        const directory = upstream.json<Record<string, unknown>>();
        return { status: 200, body: { ...directory, newAccount: `${cleartextUrl}/new-account` } };
      }),
    });
    const error = await rejectionOf(
      compose(store).manager.ensure({ identifiers: ['cleartext.hostile.example.test'] }),
    );
    expect(error.code).toBe('CERTKEEPER_ERR_INSECURE_URL');
    expect(error.message).toContain('directory field newAccount');
    expect(proxy.log.filter((entry) => entry.method === 'POST')).toEqual([]);
    expect(cleartextRequests).toBe(0);
    expect(await store.listCertificates()).toEqual([]);
  });

  it('refuses an http:// authorization URL in an order before posting to it', async () => {
    const name = 'cleartext-authz.hostile.example.test';
    const store = new MemoryStore();
    proxy.addRule({
      kind: 'newOrder',
      method: 'POST',
      times: 1,
      action: faults.respond(async (_request, context) => {
        const upstream = await context.forward();
        const order = upstream.json<{ authorizations: string[] }>();
        const authorizations = order.authorizations.map((url) =>
          url.replace(/^https:\/\/[^/]+/, cleartextUrl),
        );
        return { ...passthrough(upstream), body: { ...order, authorizations } };
      }),
    });
    const error = failed(await compose(store).manager.ensure({ identifiers: [name] })).error as Error & {
      code: string;
    };
    expect(error.code).toBe('CERTKEEPER_ERR_INSECURE_URL');
    expect(error.message).toContain('authorization URL');
    expect(cleartextRequests).toBe(0);
    await expectNothingStored(store, name);
  });

  it('never follows a redirect to another host, and names that host', async () => {
    const name = 'redirect.hostile.example.test';
    const store = new MemoryStore();
    proxy.addRule({
      kind: 'newOrder',
      method: 'POST',
      action: faults.redirect('https://evil.example.test/acme/new-order'),
    });
    const error = failed(await compose(store).manager.ensure({ identifiers: [name] }))
      .error as RedirectRefusedError;
    expect(error).toMatchObject({
      code: 'CERTKEEPER_ERR_REDIRECT_REFUSED',
      status: 302,
      locationHost: 'evil.example.test',
    });
    expect(error.message).toContain('host evil.example.test');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
    await expectNothingStored(store, name);
  });
});
