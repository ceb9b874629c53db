// Each first-party DNS plugin against a fake API that echoes every request header and body into its error
// response (or, for exec, a hook that prints its environment): the provider's raw error carries the secret —
// proof the echo works — and the redactor the plugin registered its secrets with at construction scrubs every
// form of it, which is what every sink (CLI output, logs, stored records) applies.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REDACTED, SecretRedactor } from '@certkeeper/core';
import { acmeDns } from '@certkeeper/dns-acme-dns';
import { cloudflare } from '@certkeeper/dns-cloudflare';
import { desec } from '@certkeeper/dns-desec';
import { digitalocean } from '@certkeeper/dns-digitalocean';
import { dnsimple } from '@certkeeper/dns-dnsimple';
import { exec } from '@certkeeper/dns-exec';
import { gandi } from '@certkeeper/dns-gandi';
import { hetzner } from '@certkeeper/dns-hetzner';
import { httpreq } from '@certkeeper/dns-httpreq';
import { linode } from '@certkeeper/dns-linode';
import { powerdns } from '@certkeeper/dns-powerdns';
import { rfc2136 } from '@certkeeper/dns-rfc2136';
import { route53 } from '@certkeeper/dns-route53';
import { type FakeAcmeDns, startFakeAcmeDns } from '@certkeeper/testkit/fakes/acme-dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'Ck-Echo-Secret-7f3a9c1e5b2d';
let server: Server;
let origin: string;

/** Answers every request 401 with a JSON body holding the request's headers and body, as a careless API might. */
async function echoServer(): Promise<void> {
  server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const seen = `rejected ${request.method} ${request.url} headers=${JSON.stringify(request.headers)} body=${body}`;
    // Each service's own error envelope, so the plugin quotes the echo as it would quote the service's words.
    const echo = JSON.stringify(
      request.url?.startsWith('/hetzner/')
        ? { error: { code: 'invalid_input', message: seen } }
        : {
            error: seen,
            errors: [{ code: 9999, message: `headers=${JSON.stringify(request.headers)}` }],
            success: false,
            detail: seen,
            id: 'bad_request',
            message: seen,
          },
    );
    response.writeHead(400, { 'content-type': 'application/json' }).end(echo);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Only for its DNS server: acme-dns reads the values back before an update. */
let acmeDnsFake: FakeAcmeDns;

beforeAll(async () => {
  await echoServer();
  acmeDnsFake = await startFakeAcmeDns();
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await acmeDnsFake?.stop();
});

async function failure(call: () => Promise<unknown>): Promise<string> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call against the echo server should fail').toBeDefined();
  const parts: string[] = [];
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause)
    parts.push(String((e as Error).message ?? e));
  return parts.join('\n');
}

function expectScrubbed(redactor: SecretRedactor, text: string, secret = SECRET): void {
  const scrubbed = redactor.redact(text);
  expect(scrubbed).not.toContain(secret);
  expect(scrubbed).not.toContain(encodeURIComponent(secret));
  expect(scrubbed).not.toContain(Buffer.from(secret).toString('base64').slice(4, -4));
}

/**
 * For providers on ProviderHttpClient, which quotes at most 200 characters of a body it cannot explain: the echo is
 * scrubbed before it is cut, so no prefix of the credential survives (a cut secret is no longer matched later).
 */
function expectScrubbedAtSource(redactor: SecretRedactor, text: string): void {
  expect(redactor.size).toBeGreaterThan(0);
  expect(text).toContain('Bearer [redacted]');
  expect(text).not.toContain(SECRET.slice(0, 10));
}

const record = { name: '_acme-challenge', type: 'TXT' as const, value: 'v', ttl: 60 };

describe('secrets echoed by a DNS API are scrubbed by what each plugin registered', () => {
  it('powerdns: X-API-Key echoed in the error body', async () => {
    const redactor = new SecretRedactor();
    const provider = powerdns({ apiUrl: origin, apiKey: SECRET, redactor, retry: { attempts: 1 } });
    const text = await failure(() => provider.createRecord('example.test', record));
    expect(redactor.size).toBeGreaterThan(0);
    expectScrubbed(redactor, text);
  });

  it('cloudflare: the bearer token echoed through the SDK', async () => {
    const redactor = new SecretRedactor();
    const provider = cloudflare({ apiToken: SECRET, baseUrl: origin, redactor, maxRetries: 0 });
    const text = await failure(() => provider.createRecord('example.test', record));
    expect(text).toContain(SECRET);
    expectScrubbed(redactor, text);
  });

  it("linode: the bearer token echoed in an error body that is not Linode's envelope", async () => {
    const redactor = new SecretRedactor();
    const provider = linode({ apiToken: SECRET, baseUrl: origin, redactor });
    const text = await failure(() => provider.createRecord('example.test', record));
    expectScrubbedAtSource(redactor, text);
  });

  it('dnsimple: the bearer token echoed through the SDK, scrubbed before it is cut', async () => {
    const redactor = new SecretRedactor();
    const provider = dnsimple({ apiToken: SECRET, baseUrl: origin, redactor, accountId: 1 });
    const text = await failure(() => provider.createRecord('example.test', record));
    expectScrubbedAtSource(redactor, text);
  });

  it('route53: the session token echoed in an AWS error', async () => {
    const redactor = new SecretRedactor();
    const provider = route53({
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: `${SECRET}-key`, sessionToken: SECRET },
      endpoint: origin,
      redactor,
      maxAttempts: 1,
      hostedZoneIds: { 'example.test': 'Z1' },
    });
    const text = await failure(() => provider.createRecord('example.test', record));
    expectScrubbed(redactor, text);
    expectScrubbed(redactor, text, `${SECRET}-key`);
  });

  it('exec: a hook that prints its environment, credentials in env', async () => {
    const redactor = new SecretRedactor();
    const provider = exec({
      program: '/bin/sh',
      programArgs: ['-c', 'env >&2; exit 1', 'hook'],
      env: { HOOK_API_TOKEN: SECRET, HOOK_REGION: 'eu-west-1' },
      inheritEnv: false,
      redactor,
    });
    const text = await failure(() => provider.createRecord('example.test', record));
    expect(text).not.toContain(SECRET); // scrubbed before the stderr tail was cut and put in the message
    expect(text).toContain('eu-west-1'); // a value under a plain name is not a secret
  });

  it('rfc2136: the TSIG secret is registered, though it never goes on the wire', () => {
    const redactor = new SecretRedactor();
    const secret = Buffer.from(SECRET).toString('base64');
    rfc2136({ server: '127.0.0.1:1', tsig: { name: 'ck-key', secret }, redactor });
    expect(redactor.redact(`keySecret=${secret}`)).toBe('keySecret=[redacted]');
  });

  /**
   * The plugins on the shared REST client: the client scrubs a failed answer with the plugin's redactor before
   * quoting it, so the error is clean as thrown — the secret reached the fake, and `[redacted]` came back.
   */
  const scrubbedAsThrown = async (
    _redactor: SecretRedactor,
    call: () => Promise<unknown>,
    secret = SECRET,
  ) => {
    const text = await failure(call);
    expect(text).toContain(REDACTED);
    expectScrubbed(new SecretRedactor(), text, secret);
  };
  const txt = { ...record, value: 'A'.repeat(43) };

  it('desec: the Token header echoed in a DRF error', async () => {
    const redactor = new SecretRedactor();
    const provider = desec({ apiToken: SECRET, baseUrl: `${origin}/desec`, redactor, maxRetryWaitMs: 0 });
    await scrubbedAsThrown(redactor, () => provider.createRecord('example.test', txt));
  });

  it('hetzner: the bearer token echoed in its error envelope', async () => {
    const redactor = new SecretRedactor();
    const provider = hetzner({ apiToken: SECRET, baseUrl: `${origin}/hetzner`, redactor });
    await scrubbedAsThrown(redactor, () => provider.createRecord('example.test', txt));
  });

  it('digitalocean: the bearer token echoed in its error envelope', async () => {
    const redactor = new SecretRedactor();
    const provider = digitalocean({ apiToken: SECRET, baseUrl: `${origin}/digitalocean`, redactor });
    await scrubbedAsThrown(redactor, () => provider.createRecord('example.test', txt));
  });

  it('gandi: the personal access token echoed in its error envelope', async () => {
    const redactor = new SecretRedactor();
    const provider = gandi({ apiToken: SECRET, baseUrl: `${origin}/gandi`, redactor });
    await scrubbedAsThrown(redactor, () => provider.createRecord('example.test', txt));
  });

  it('httpreq: the basic-authentication header (user:password in base64) echoed by the webhook', async () => {
    const redactor = new SecretRedactor();
    const provider = httpreq({
      endpoint: `${origin}/httpreq`,
      username: 'ck-user',
      password: SECRET,
      redactor,
    });
    const text = await failure(() => provider.createRecord('example.test', txt));
    expect(text).toContain(REDACTED);
    const header = Buffer.from(`ck-user:${SECRET}`).toString('base64');
    expect(text).not.toContain(header);
    expectScrubbed(new SecretRedactor(), text);
  });

  it('acme-dns: X-Api-Key (the account password inside the credentials file) echoed by the server', async () => {
    const redactor = new SecretRedactor();
    const accounts = {
      'example.test': {
        username: 'c4c0b5a6-1f0b-4b7e-9a38-2f7f6d2f9e11',
        password: SECRET,
        fulldomain: `c4c0b5a6.${acmeDnsFake.domain}`,
        subdomain: 'c4c0b5a6',
      },
    };
    const provider = acmeDns({
      apiUrl: `${origin}/acme-dns`,
      accounts: JSON.stringify(accounts),
      dnsServer: acmeDnsFake.dnsServer,
      redactor,
    });
    await scrubbedAsThrown(redactor, () => provider.createRecord('example.test', txt));
  });
});
