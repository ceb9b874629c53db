// The secrets suite: each first-party DNS plugin, driven by the built CLI against Pebble, talks to a fake API that
// echoes every request header and body into its error (exec: a hook printing its environment; rfc2136: a primary
// that never answers — its TSIG secret never travels). Then stdout and stderr of `renew -v`, `renew --json -v`,
// `status` and `status --json`, and every file of the store directories, are scanned for each secret in each form
// a provider may echo it in (raw, URL-encoded, base64): zero hits. The fakes record that the secrets did reach
// them, and the output shows `[redacted]` where they came back, so the scan cannot pass by the echo not happening.

import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  ensureCliBuilt,
  explain,
  freePort,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

const SECRETS = {
  powerdns: 'pdns-Key-4b1f9e2a7c3d',
  cloudflare: 'cf-Token-9d8e7f6a5b4c',
  route53Secret: 'aws-Secret-1a2b3c4d5e6f7a8b',
  route53Session: 'aws-Session-Token-0f1e2d3c4b5a',
  exec: 'hook-Token-6c5d4e3f2a1b',
  rfc2136: Buffer.from('tsig-secret-8e7d6c5b4a39').toString('base64'),
  eab: 'eab-Hmac-Key-2f3e4d5c6b7a',
};

let dir: string;
let ca: TestCa;
let echo: Server;
let echoUrl: string;
/** Every request the echo fake received, as text: proof the secrets went out. */
const received: string[] = [];

async function startEcho(): Promise<void> {
  echo = createHttpServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const seen = `headers=${JSON.stringify(request.headers)} body=${body}`;
    received.push(`${request.method} ${request.url} ${seen}`);
    if (request.url?.startsWith('/2013-04-01/')) {
      // Route 53 speaks XML: an InvalidInput error whose message is the echo.
      const xml = seen.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      response
        .writeHead(400, { 'content-type': 'text/xml' })
        .end(
          `<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>${xml}</Message></Error><RequestId>r1</RequestId></ErrorResponse>`,
        );
      return;
    }
    response
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: seen, errors: [{ code: 9999, message: seen }], success: false }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
}

/**
 * The dns-01 solver block of each plugin's config, secrets by reference (cloudflare's inline, warned about).
 * Propagation checks ask pebble-challtestsrv, which answers the CNAME lookup done before publishing.
 */
function solverFor(plugin: string, closedPort: number, dnsPort: number): string {
  const options: Record<string, string> = {
    powerdns: `apiUrl: ${echoUrl}\n      apiKey: { env: CK_PDNS_KEY }\n      timeoutMs: 2000`,
    cloudflare: `apiToken: ${SECRETS.cloudflare}\n      baseUrl: ${echoUrl}\n      maxRetries: 0\n      zoneIds: { example.test: zone1 }`,
    route53: `accessKeyId: AKIDCERTKEEPERTEST\n      secretAccessKey: { file: ./aws-secret }\n      sessionToken: { env: CK_AWS_SESSION }\n      endpoint: ${echoUrl}\n      region: us-east-1\n      maxAttempts: 1\n      waitForSync: false\n      hostedZoneIds: { example.test: Z1 }`,
    exec: `program: /bin/sh\n      programArgs: ['-c', 'echo "token=$HOOK_API_TOKEN" >&2; env >&2; exit 1', hook]\n      inheritEnv: false\n      env: { HOOK_API_TOKEN: { env: CK_HOOK_TOKEN } }`,
    rfc2136: `server: 127.0.0.1:${closedPort}\n      keyName: ck-key\n      keySecret: { env: CK_TSIG }\n      timeoutMs: 300`,
  };
  return `  - type: dns-01\n    provider: ${plugin}\n    zones: [example.test]\n    nameservers: [127.0.0.1:${dnsPort}]\n    options:\n      ${options[plugin]}\n`;
}

const env = {
  CK_PDNS_KEY: SECRETS.powerdns,
  CK_AWS_SESSION: SECRETS.route53Session,
  CK_HOOK_TOKEN: SECRETS.exec,
  CK_TSIG: SECRETS.rfc2136,
  CK_EAB: SECRETS.eab,
};

/** The forms a secret may be echoed in. */
function forms(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  return [secret, encodeURIComponent(secret), base64.slice(2, -4), JSON.stringify(secret).slice(1, -1)];
}

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path);
  return (await Promise.all(entries.map((entry) => filesUnder(join(path, entry))))).flat();
}

const PLUGINS = ['powerdns', 'cloudflare', 'route53', 'exec', 'rfc2136'] as const;
const outputs = new Map<string, CliResult[]>();

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('secrets');
  ca = await startTestCa(dir);
  await startEcho();
  await writeFile(join(dir, 'aws-secret'), `${SECRETS.route53Secret}\n`, { mode: 0o600 });
  const closedPort = await freePort();
  await Promise.all(
    PLUGINS.map(async (plugin) => {
      const config = (store: string) => `ca:
  directory: ${ca.proxy.directoryUrl}
  caBundle: ${ca.caBundleFile}
account:
  email: ops@example.test
store:
  directory: ./store-${plugin}-${store}
solvers:
${solverFor(plugin, closedPort, ca.pebble.dnsPort)}certificates:
  - names: [secret-${plugin}.example.test]
`;
      await writeFile(join(dir, `${plugin}-a.yaml`), config('a'));
      await writeFile(join(dir, `${plugin}-b.yaml`), config('b'));
      const run = (args: string[]) => runCli(args, { cwd: dir, env, timeoutMs: 120_000 });
      const results = [
        await run(['renew', '-v', '--config', `${plugin}-a.yaml`]),
        await run(['renew', '--json', '-v', '--config', `${plugin}-b.yaml`]),
        await run(['renew', '--config', `${plugin}-a.yaml`]),
        await run(['status', '--config', `${plugin}-a.yaml`]),
        await run(['status', '--json', '--config', `${plugin}-b.yaml`]),
      ];
      outputs.set(plugin, results);
    }),
  );
}, 600_000);

afterAll(async () => {
  await new Promise((resolve) => echo?.close(resolve));
  await ca?.close();
  await removeWorkdirs();
});

describe('no secret reaches output or the store, whatever a DNS API echoes', () => {
  it.each(PLUGINS)('%s: the run failed at the provider and said so', (plugin) => {
    const [first] = outputs.get(plugin)!;
    expect(first!.code, explain(first!)).toBe(1);
    expect(first!.stdout + first!.stderr).toContain('failed');
  });

  it('the HTTP fakes received the secrets (so the echo was real), and what came back was redacted', () => {
    const all = received.join('\n');
    for (const [plugin, secret] of [
      ['powerdns', SECRETS.powerdns],
      ['cloudflare', SECRETS.cloudflare],
      ['route53', SECRETS.route53Session],
    ] as const)
      expect(all, `${plugin} never reached the fake:\n${explain(outputs.get(plugin)![0]!)}`).toContain(
        secret,
      );
    for (const plugin of ['powerdns', 'cloudflare', 'route53', 'exec'] as const) {
      const text = outputs
        .get(plugin)!
        .map((r) => r.stdout + r.stderr)
        .join('');
      expect(text, plugin).toContain('[redacted]');
    }
  });

  it('stdout and stderr of renew -v, renew --json -v, renew, status and status --json hold no secret', () => {
    const hits: string[] = [];
    for (const [plugin, results] of outputs)
      for (const [index, result] of results.entries())
        for (const secret of Object.values(SECRETS))
          for (const form of forms(secret))
            if ((result.stdout + result.stderr).includes(form)) hits.push(`${plugin} run ${index}: ${form}`);
    expect(hits).toEqual([]);
  });

  it('no file of any store directory holds a secret', async () => {
    const files = (
      await Promise.all(
        PLUGINS.flatMap((p) => ['a', 'b'].map((s) => filesUnder(join(dir, `store-${p}-${s}`)))),
      )
    ).flat();
    expect(files.length).toBeGreaterThan(PLUGINS.length);
    const hits: string[] = [];
    for (const file of files) {
      const text = (await readFile(file)).toString('latin1');
      for (const secret of Object.values(SECRETS))
        for (const form of forms(secret)) if (text.includes(form)) hits.push(`${file}: ${form}`);
    }
    expect(hits).toEqual([]);
  });
});
