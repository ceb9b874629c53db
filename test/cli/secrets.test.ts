// The secrets suite: each of the 11 first-party DNS plugins, driven by the built CLI against Pebble, talks to a fake
// API that echoes every request header and body into its error, in the service's own error envelope (exec: a hook
// printing its environment; rfc2136: a primary that never answers — its TSIG secret never travels). The secrets come
// every way a user gives them: `{ env }`, `{ file }`, inline, the plugin's own environment variable ($DESEC_TOKEN,
// $GANDI_PAT), and — for acme-dns — the credentials file `certkeeper acme-dns register -v --json` wrote, whose
// password that command never prints either. Then stdout and stderr of `renew -v`, `renew --json -v`,
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
  desec: 'desec-Token-3a4b5c6d7e8f',
  hetzner: 'hetzner-Token-8f7e6d5c4b3a',
  digitalocean: 'do-Token-1b2c3d4e5f6a',
  gandi: 'gandi-Pat-6a5b4c3d2e1f',
  httpreq: 'httpreq-Pass-5e4d3c2b1a09',
  /** What the fake acme-dns's `POST /register` hands out: only ever seen by the register command and the file. */
  acmeDns: 'acmeDns-Password-0a1b2c3d4e5f6a7b8c9d',
};

/** The account the fake acme-dns registers. */
const ACME_DNS_ACCOUNT = {
  username: 'c4c0b5a6-1f0b-4b7e-9a38-2f7f6d2f9e11',
  password: SECRETS.acmeDns,
  fulldomain: 'c4c0b5a6.auth.acme.test',
  subdomain: 'c4c0b5a6',
  allowfrom: [],
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
    if (request.method === 'POST' && request.url === '/acme-dns/register') {
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(ACME_DNS_ACCOUNT));
      return;
    }
    if (request.url?.startsWith('/hetzner/')) {
      response
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'invalid_input', message: seen } }));
      return;
    }
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
      // PowerDNS, httpreq and acme-dns quote `error`, Cloudflare `errors`, deSEC `detail`, DigitalOcean and Gandi
      // `message`.
      .end(
        JSON.stringify({
          error: seen,
          errors: [{ code: 9999, message: seen }],
          success: false,
          detail: seen,
          id: 'bad_request',
          message: seen,
        }),
      );
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
    // The token from the plugin's own variable, $DESEC_TOKEN: no configuration names it.
    desec: `baseUrl: ${echoUrl}/desec\n      maxRetryWaitMs: 0`,
    hetzner: `apiToken: { file: ./hetzner-token }\n      baseUrl: ${echoUrl}/hetzner`,
    digitalocean: `apiToken: { env: CK_DO_TOKEN }\n      baseUrl: ${echoUrl}/digitalocean`,
    // $GANDI_PAT, like deSEC's.
    gandi: `baseUrl: ${echoUrl}/gandi`,
    httpreq: `endpoint: ${echoUrl}/httpreq\n      username: ck-user\n      password: { env: CK_HTTPREQ_PASSWORD }`,
    'acme-dns': `apiUrl: ${echoUrl}/acme-dns\n      accounts: { file: ./acme-dns.json }\n      dnsServer: 127.0.0.1:${dnsPort}`,
  };
  return `  - type: dns-01\n    provider: ${plugin}\n    zones: [example.test]\n    nameservers: [127.0.0.1:${dnsPort}]\n    options:\n      ${options[plugin]}\n`;
}

const env = {
  CK_PDNS_KEY: SECRETS.powerdns,
  CK_AWS_SESSION: SECRETS.route53Session,
  CK_HOOK_TOKEN: SECRETS.exec,
  CK_TSIG: SECRETS.rfc2136,
  CK_EAB: SECRETS.eab,
  DESEC_TOKEN: SECRETS.desec,
  CK_DO_TOKEN: SECRETS.digitalocean,
  GANDI_PAT: SECRETS.gandi,
  CK_HTTPREQ_PASSWORD: SECRETS.httpreq,
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

const PLUGINS = [
  'powerdns',
  'cloudflare',
  'route53',
  'exec',
  'rfc2136',
  'desec',
  'hetzner',
  'digitalocean',
  'gandi',
  'httpreq',
  'acme-dns',
] as const;
/** The plugins whose API is an HTTP fake here (exec has a hook, rfc2136 a silent primary). */
const HTTP_PLUGINS = PLUGINS.filter((plugin) => plugin !== 'exec' && plugin !== 'rfc2136');
/** Output of `certkeeper acme-dns register`, scanned like the rest. */
let register: CliResult[] = [];
const outputs = new Map<string, CliResult[]>();

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('secrets');
  ca = await startTestCa(dir);
  await startEcho();
  await writeFile(join(dir, 'aws-secret'), `${SECRETS.route53Secret}\n`, { mode: 0o600 });
  await writeFile(join(dir, 'hetzner-token'), `${SECRETS.hetzner}\n`, { mode: 0o600 });
  const closedPort = await freePort();
  // The acme-dns account, made as a user makes it — the command that writes the password must not print it — and
  // the CNAME it asks for, in challtestsrv.
  const registerArgs = ['--server', `${echoUrl}/acme-dns`, '--credentials', './acme-dns.json'];
  register = [
    await runCli(['acme-dns', 'register', '-v', ...registerArgs, 'secret-acme-dns.example.test'], {
      cwd: dir,
      env,
    }),
    await runCli(['acme-dns', 'register', '-v', '--json', ...registerArgs, 'secret-acme-dns.example.test'], {
      cwd: dir,
      env,
    }),
  ];
  await ca.pebble.challtestsrv.setCname(
    '_acme-challenge.secret-acme-dns.example.test',
    ACME_DNS_ACCOUNT.fulldomain,
  );
  await Promise.all(
    PLUGINS.map(async (plugin) => {
      const config = (store: string) => `ca:
  directory: ${ca.proxy.directoryUrl}
  caBundle: ${ca.caBundleFile}
account:
  email: ops@example.test
  agreeTos: true
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

  it('acme-dns register stored the credentials (0600) and printed the CNAME, never the password', async () => {
    for (const result of register) expect(result.code, explain(result)).toBe(0);
    expect(register[0]!.stdout).toContain(`CNAME ${ACME_DNS_ACCOUNT.fulldomain}.`);
    const file = join(dir, 'acme-dns.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, { password: string }>;
    expect(stored['secret-acme-dns.example.test']?.password).toBe(SECRETS.acmeDns);
    for (const result of register)
      for (const form of forms(SECRETS.acmeDns)) expect(result.stdout + result.stderr).not.toContain(form);
  });

  it('the HTTP fakes received the secrets (so the echo was real), and what came back was redacted', () => {
    const all = received.join('\n');
    for (const [plugin, secret] of [
      ['powerdns', SECRETS.powerdns],
      ['cloudflare', SECRETS.cloudflare],
      ['route53', SECRETS.route53Session],
      ['desec', SECRETS.desec],
      ['hetzner', SECRETS.hetzner],
      ['digitalocean', SECRETS.digitalocean],
      ['gandi', SECRETS.gandi],
      ['httpreq', Buffer.from(`ck-user:${SECRETS.httpreq}`).toString('base64')],
      ['acme-dns', SECRETS.acmeDns],
    ] as const)
      expect(all, `${plugin} never reached the fake:\n${explain(outputs.get(plugin)![0]!)}`).toContain(
        secret,
      );
    for (const plugin of [...HTTP_PLUGINS, 'exec'] as const) {
      const text = outputs
        .get(plugin)!
        .map((r) => r.stdout + r.stderr)
        .join('');
      expect(text, plugin).toContain('[redacted]');
    }
  });

  it('stdout and stderr of renew -v, renew --json -v, renew, status and status --json hold no secret', () => {
    const hits: string[] = [];
    for (const [plugin, results] of [...outputs, ['acme-dns register', register] as const])
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
