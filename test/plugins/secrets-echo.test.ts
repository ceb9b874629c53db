// Each first-party DNS plugin against a fake API that echoes every request header and body into its error
// response (or, for exec, a hook that prints its environment): the provider's raw error carries the secret —
// proof the echo works — and the redactor the plugin registered its secrets with at construction scrubs every
// form of it, which is what every sink (CLI output, logs, stored records) applies.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretRedactor } from '@certkeeper/core';
import { cloudflare } from '@certkeeper/dns-cloudflare';
import { dnsimple } from '@certkeeper/dns-dnsimple';
import { exec } from '@certkeeper/dns-exec';
import { linode } from '@certkeeper/dns-linode';
import { powerdns } from '@certkeeper/dns-powerdns';
import { rfc2136 } from '@certkeeper/dns-rfc2136';
import { route53 } from '@certkeeper/dns-route53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'Ck-Echo-Secret-7f3a9c1e5b2d';
let server: Server;
let origin: string;

/** Answers every request 401 with a JSON body holding the request's headers and body, as a careless API might. */
async function echoServer(): Promise<void> {
  server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const echo = JSON.stringify({
      error: `rejected ${request.method} ${request.url} headers=${JSON.stringify(request.headers)} body=${body}`,
      errors: [{ code: 9999, message: `headers=${JSON.stringify(request.headers)}` }],
      success: false,
    });
    response.writeHead(400, { 'content-type': 'application/json' }).end(echo);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(echoServer);
afterAll(() => new Promise((resolve) => server.close(resolve)));

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
});
