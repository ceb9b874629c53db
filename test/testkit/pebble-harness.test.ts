import { Resolver } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import { HARNESS_USER_AGENT, type PebbleHandle, startPebble } from '@certkeeper/testkit';
import * as x509 from '@peculiar/x509';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueWithDns01 } from './support/issue.js';
import { MiniAcme } from './support/mini-acme.js';

let pebble: PebbleHandle;

beforeAll(async () => {
  pebble = await startPebble();
  // One JSON line per figure, like the bench suites, so the startup time can be collected from CI logs.
  console.log(JSON.stringify({ figure: 'pebble-harness-startup-ms', value: pebble.startupMs }));
});

afterAll(async () => {
  await pebble?.stop();
});

/** A resolver that asks challtestsrv directly, the way Pebble's VA does. */
const challtestsrvDns = () => {
  const resolver = new Resolver({ timeout: 1_000, tries: 1 });
  resolver.setServers([`127.0.0.1:${pebble.dnsPort}`]);
  return resolver;
};

describe('startPebble', () => {
  it('serves the ACME directory over TLS signed by caBundlePem, and only that CA', async () => {
    const dispatcher = new Agent({ connect: { ca: pebble.caBundlePem } });
    const response = await request(pebble.directoryUrl, {
      dispatcher,
      headers: { 'user-agent': HARNESS_USER_AGENT },
    });
    const directory = (await response.body.json()) as Record<string, unknown>;
    expect(response.statusCode).toBe(200);
    expect(directory.newOrder).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    expect(directory.newNonce).toEqual(expect.any(String));
    await dispatcher.close();

    const untrusting = new Agent();
    await expect(
      request(pebble.directoryUrl, { dispatcher: untrusting, headers: { 'user-agent': HARNESS_USER_AGENT } }),
    ).rejects.toThrow(/certificate/i);
    await untrusting.close();
  });

  it('exposes the management API: root and intermediate of the issuing chain', async () => {
    const root = new x509.X509Certificate(await pebble.rootCertificatePem());
    const intermediate = new x509.X509Certificate(await pebble.intermediateCertificatePem());
    expect(root.subject).toMatch(/Pebble Root CA/);
    expect(intermediate.issuer).toBe(root.subject);
    await expect(pebble.rootCertificatePem(5)).rejects.toMatchObject({ code: 'CERTKEEPER_ERR_TEST_HARNESS' });
  });

  it('publishes TXT records through challtestsrv, several per name, and clears them', async () => {
    const name = '_acme-challenge.txt.example.test';
    await pebble.challtestsrv.addTxt(name, 'first-value');
    await pebble.challtestsrv.addTxt(name, 'second-value');
    const records = await challtestsrvDns().resolveTxt(name);
    expect(records.map((chunks) => chunks.join('')).sort()).toEqual(['first-value', 'second-value']);

    await pebble.challtestsrv.clearTxt(name);
    await expect(challtestsrvDns().resolveTxt(name)).rejects.toMatchObject({
      code: expect.stringMatching(/ENODATA|ENOTFOUND/),
    });
  });

  it('answers A with 127.0.0.1 and AAAA with nothing by default; A mocks override', async () => {
    expect(await challtestsrvDns().resolve4('anything.example.test')).toEqual(['127.0.0.1']);
    await expect(challtestsrvDns().resolve6('anything.example.test')).rejects.toMatchObject({
      code: 'ENODATA',
    });

    await pebble.challtestsrv.addA('mocked.example.test', ['127.0.0.7']);
    expect(await challtestsrvDns().resolve4('mocked.example.test')).toEqual(['127.0.0.7']);
    await pebble.challtestsrv.clearA('mocked.example.test');
    expect(await challtestsrvDns().resolve4('mocked.example.test')).toEqual(['127.0.0.1']);
  });

  it('validates dns-01 through challtestsrv and issues a chain ending at the management root', async () => {
    const client = await new MiniAcme(pebble.directoryUrl, pebble.caBundlePem).init();
    expect((await client.newAccount()).status).toBe(201);
    const issued = await issueWithDns01(client, pebble.challtestsrv, [
      'dns.example.test',
      'www.dns.example.test',
    ]);
    await client.close();

    const [leaf, issuer] =
      issued.certificatePem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
    const certificate = new x509.X509Certificate(leaf!);
    const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
    expect(san?.names.items.map((name) => name.value).sort()).toEqual([
      'dns.example.test',
      'www.dns.example.test',
    ]);
    expect(new x509.X509Certificate(issuer!).subject).toBe(
      new x509.X509Certificate(await pebble.intermediateCertificatePem()).subject,
    );
    // Pebble's VA asked challtestsrv, not the system resolver.
    const history = await pebble.challtestsrv.dnsRequestHistory('_acme-challenge.dns.example.test');
    expect(history.some((event) => event.Question.Qtype === 16)).toBe(true);
  });

  it('sends http-01 validation to httpPort on 127.0.0.1, where a test responder can answer', async () => {
    const client = await new MiniAcme(pebble.directoryUrl, pebble.caBundlePem).init();
    await client.newAccount();
    const order = await client.newOrder(['http.example.test']);
    const authzUrl = (order.json as { authorizations: string[] }).authorizations[0]!;
    const authz = await client.post(authzUrl, '');
    const challenge = (
      authz.json as { challenges: { type: string; url: string; token: string }[] }
    ).challenges.find((c) => c.type === 'http-01')!;
    const keyAuthorization = await client.keyAuthorization(challenge.token);
    const seen: string[] = [];
    const responder: Server = createServer((req, res) => {
      seen.push(`${req.headers.host} ${req.url}`);
      res.end(req.url === `/.well-known/acme-challenge/${challenge.token}` ? keyAuthorization : 'wrong');
    });
    await new Promise<void>((resolve) => responder.listen(pebble.httpPort, '127.0.0.1', resolve));
    try {
      expect((await client.post(challenge.url, {})).status).toBe(200);
      expect((await client.pollUntilSettled(authzUrl)).json?.status).toBe('valid');
    } finally {
      await new Promise((resolve) => responder.close(resolve));
      await client.close();
    }
    expect(seen).toContain(
      `http.example.test:${pebble.httpPort} /.well-known/acme-challenge/${challenge.token}`,
    );
  });

  it('keeps both servers\u2019 output for diagnostics', () => {
    const logs = pebble.logs();
    expect(logs.pebble).toContain('ACME directory available at');
    expect(logs.challtestsrv).toContain(`127.0.0.1:${pebble.dnsPort}`);
  });

  it('reports an unreachable challtestsrv endpoint as a harness error, not a silent no-op', async () => {
    // http-01 is served by the test's own responder in this harness, so challtestsrv has no such endpoint.
    await expect(pebble.challtestsrv.addHttp01('token', 'content')).rejects.toMatchObject({
      code: 'CERTKEEPER_ERR_TEST_HARNESS',
      message: expect.stringMatching(/HTTP 404[\s\S]*challtestsrvResponders/),
    });
  });
});
