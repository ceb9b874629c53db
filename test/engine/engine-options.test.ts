import { createServer } from 'node:http';
import {
  AbortedError,
  AcmeClient,
  dnsTxtValue,
  HttpClient,
  keyAuthorization,
  letsEncryptProfileRules,
  type OrderState,
  parseCertificateChain,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import { type FaultProxy, faults } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';
import { type PebbleFixture, proxyFixture, startPebbleFixture } from './pebble-fixture.js';

describe('engine options against Pebble', () => {
  let fixture: PebbleFixture;
  let proxy: FaultProxy;
  let accountUrl: string;
  const newOrderPayloads: Record<string, unknown>[] = [];
  const clients: AcmeClient[] = [];
  const client = () => {
    const made = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey: fixture.accountKey,
      accountUrl,
    });
    clients.push(made);
    return made;
  };
  const order = (identifiers: string[], extra: { profile?: string; preferredChain?: string } = {}) =>
    prepareOrder({ directoryUrl: proxy.directoryUrl, accountUrl, identifiers, ...extra });

  beforeAll(async () => {
    fixture = await startPebbleFixture({ env: { PEBBLE_ALTERNATE_ROOTS: '1' } });
    ({ proxy, accountUrl } = await proxyFixture(fixture, (p) => {
      // A directory advertising profiles, as Let's Encrypt's does (Pebble 2.4 has none).
      p.addRule({
        kind: 'directory',
        action: faults.respond(async (_request, context) => {
          const upstream = await context.forward();
          const directory = upstream.json<{ meta?: object }>();
          return {
            status: 200,
            body: {
              ...directory,
              meta: {
                ...directory.meta,
                profiles: { classic: 'The same profile you know', shortlived: 'Short-lived certificates' },
              },
            },
          };
        }),
      });
      p.addRule({
        kind: 'newOrder',
        action: faults.respond(async (request, context) => {
          newOrderPayloads.push(JSON.parse(request.jws?.payload ?? '{}'));
          const upstream = await context.forward();
          return {
            status: upstream.status,
            headers: upstream.headers as Record<string, string>,
            body: upstream.body,
          };
        }),
      });
    }));
  });
  afterEach(() => proxy.clearLog());
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await proxy?.close();
    await fixture?.stop();
  });

  it('downloads an alternate chain only when a preferred issuer asks for it', async () => {
    const root1 = parseCertificateChain(await fixture.pebble.rootCertificatePem(1))[0]!;
    const preferred = /CN=([^,]+)/.exec(root1.subject)![1]!;
    const plain = await runOrder(await order(['chain-default.example.test']), fixture.deps(client()));
    expect(proxy.count('cert', 'POST')).toBe(1);
    expect(plain.certificate.chainIssuer).not.toBe(preferred);
    proxy.clearLog();
    const chosen = await runOrder(
      await order(['chain-alt.example.test'], { preferredChain: preferred }),
      fixture.deps(client()),
    );
    expect(chosen.certificate.chainIssuer).toBe(preferred);
    expect(proxy.count('cert', 'POST')).toBeGreaterThanOrEqual(2);
  });

  it('sends an advertised profile, and refuses before sending an unknown one or one whose limits the order breaks', async () => {
    const ok = await runOrder(
      await order(['profile.example.test'], { profile: 'classic' }),
      fixture.deps(client()),
    );
    expect(ok.state.phase).toBe('done');
    expect(newOrderPayloads.at(-1)).toMatchObject({ profile: 'classic' });
    const sent = newOrderPayloads.length;
    const unknown = await rejectionOf(
      runOrder(await order(['x.example.test'], { profile: 'tlsserver' }), fixture.deps(client())),
    );
    expect(unknown.code).toBe('CERTKEEPER_ERR_UNSUPPORTED_BY_CA');
    expect(unknown.message).toContain('shortlived');
    const names = Array.from({ length: 26 }, (_, i) => `n${i}.big.example.test`);
    // The proxy serves Let's Encrypt's profiles; its URL is not Let's Encrypt's, so the rules are given.
    const tooMany = await rejectionOf(
      runOrder(await order(names, { profile: 'shortlived' }), {
        ...fixture.deps(client()),
        profileRules: letsEncryptProfileRules,
      }),
    );
    expect(tooMany.code).toBe('CERTKEEPER_ERR_PROFILE_VIOLATION');
    expect(newOrderPayloads.length).toBe(sent);
  });

  it("waits as long as the CA's Retry-After on an order poll says", async () => {
    const rule = proxy.addRule({
      kind: 'order',
      method: 'POST',
      times: 1,
      action: faults.respond(async (_request, context) => {
        // The first poll while validating: "still pending, ask again in a second".
        const upstream = await context.forward();
        return {
          status: upstream.status,
          headers: { ...(upstream.headers as Record<string, string>), 'retry-after': '1' },
          body: { ...upstream.json<object>(), status: 'pending' },
        };
      }),
    });
    await runOrder(await order(['retry-after.example.test']), fixture.deps(client()));
    const polls = proxy.log.filter((e) => e.kind === 'order' && e.method === 'POST');
    expect(rule.fired).toBe(1);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls[1]!.time.getTime() - polls[0]!.time.getTime()).toBeGreaterThanOrEqual(950);
  });

  it('stops at once on abort, leaving a state another process resumes to the end with no second order', async () => {
    const controller = new AbortController();
    let saved: OrderState | undefined;
    proxy.addRule({ kind: 'order', method: 'POST', times: 1, action: faults.delay(300) });
    const running = runOrder(
      await order(['abort.example.test']),
      { ...fixture.deps(client()), signal: controller.signal },
      {
        onState: (state) => {
          saved = state;
          if (state.phase === 'await-validation') controller.abort();
        },
      },
    );
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    expect(saved?.phase).toBe('await-validation');
    const resumed = await runOrder(JSON.parse(JSON.stringify(saved)) as OrderState, fixture.deps(client()));
    expect(resumed.state.phase).toBe('done');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
  });

  it('names certkeeper and its version in the User-Agent', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers['user-agent'] ?? '');
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const http = new HttpClient();
    try {
      const { port } = server.address() as { port: number };
      await http.send({ method: 'GET', url: `http://127.0.0.1:${port}/`, resource: 'directory' });
      expect(seen[0]).toMatch(/^certkeeper\/\d+\.\d+\.\d+ node\/20\./);
    } finally {
      await http.close();
      server.close();
    }
  });

  it('computes key authorizations and dns-01 values as RFC 8555 §8.1 and §8.4 define them', async () => {
    const keyAuth = await keyAuthorization('evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA', fixture.accountKey);
    expect(keyAuth).toBe(`evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.${fixture.accountKey.thumbprint}`);
    // base64url(SHA-256("abc")), a FIPS 180-2 test vector.
    expect(dnsTxtValue('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});
