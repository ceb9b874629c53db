// Who may read the daemon's page, API and metrics, with the built `certkeeper run`: off loopback it refuses to
// start without daemon.auth; with a token it wants that token on every data path (and the page asks for it);
// with a reverse proxy it trusts the user header from the proxy's address only; on loopback without auth it
// answers loopback Host names only. No certificate is configured, so the CA is never asked anything; the servers
// bound to 0.0.0.0 are reached through 127.0.0.1 only.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCliBuilt,
  explain,
  freePort,
  removeWorkdirs,
  runCli,
  workdir,
} from '../cli/support/cli-harness.js';
import { type DaemonProcess, startDaemon } from '../cli/support/daemon-process.js';
import { type Chromium, launchChromium } from './support/chromium.js';

const TOKEN = 'c0ffee-and-a-token-long-enough-to-guess-never';
let dir: string;
let chromium: Chromium;
const daemons: DaemonProcess[] = [];

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('web-access');
  chromium = await launchChromium();
}, 120_000);
afterEach(async () => {
  for (const daemon of daemons.splice(0)) {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
  }
});
afterAll(async () => {
  await chromium?.close();
  await removeWorkdirs();
});

async function config(name: string, daemon: string): Promise<string> {
  await writeFile(
    join(dir, name),
    `ca:
  directory: https://127.0.0.1:9/dir
store:
  directory: ./data-${name}
daemon:
${daemon}`,
  );
  return name;
}

async function serve(
  name: string,
  listen: string,
  auth = '',
): Promise<{ base: string; daemon: DaemonProcess }> {
  const port = await freePort();
  const file = await config(name, `  listen: ${listen}:${port}\n${auth}`);
  const daemon = startDaemon(['--config', file], { cwd: dir, env: { CK_WEB_TOKEN: TOKEN } });
  daemons.push(daemon);
  await daemon.waitFor(/status page, \/metrics and \/healthz on/);
  return { base: `http://127.0.0.1:${port}`, daemon };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('access to the status page, /api and /metrics', () => {
  it('off loopback without daemon.auth, the daemon does not start (exit 2) and says which key to set', async () => {
    const file = await config('open.yaml', `  listen: 0.0.0.0:${await freePort()}\n`);
    const result = await runCli(['run', '--config', file], { cwd: dir });
    expect(result.code, explain(result)).toBe(2);
    expect(result.stderr).toMatch(/reachable from other machines, and daemon\.auth is not set/);
    expect(result.stderr).toMatch(/Next: set daemon\.auth\.token/);
  });

  it('refuses a token too short to be safe, without printing it', async () => {
    const file = await config(
      'short.yaml',
      `  listen: 127.0.0.1:${await freePort()}\n  auth:\n    token: { env: CK_SHORT }\n`,
    );
    const result = await runCli(['run', '--config', file], { cwd: dir, env: { CK_SHORT: 'sesame-1234' } });
    expect(result.code, explain(result)).toBe(2);
    expect(result.stderr).toMatch(/the daemon's token has 11 characters; at least 16/);
    expect(result.stdout + result.stderr).not.toContain('sesame-1234');
  });

  it('bound to 0.0.0.0 with a token: every data path wants it, the page asks for it, the token is never printed', async () => {
    const { base, daemon } = await serve(
      'token.yaml',
      '0.0.0.0',
      '  auth:\n    token: { env: CK_WEB_TOKEN }\n',
    );
    for (const path of ['/api/status', '/api/events', '/metrics']) {
      const anonymous = await fetch(`${base}${path}`);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="certkeeper"');
      expect((await fetch(`${base}${path}`, { headers: bearer(`${TOKEN}x`) })).status, path).toBe(401);
      expect((await fetch(`${base}${path}`, { headers: bearer(TOKEN.slice(0, 20)) })).status, path).toBe(401);
    }
    const status = await fetch(`${base}/api/status`, { headers: bearer(TOKEN) });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ schema: 1, certificates: [] });
    expect((await fetch(`${base}/metrics`, { headers: bearer(TOKEN) })).status).toBe(200);
    // A probe needs no token and learns the status alone; the details are for those allowed.
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/healthz`, { headers: bearer(TOKEN) })).json()).toMatchObject({
      status: 'ok',
      failing: [],
    });
    // The page itself is public (it holds no data) and asks for the token.
    const page = await chromium.context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Token').fill('not-the-token-at-all-0000');
    await page.getByRole('button', { name: 'Show the status' }).click();
    await page.getByText('That token was refused').waitFor();
    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Show the status' }).click();
    await page.getByText('No certificates configured or stored yet').waitFor();
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.close();
    expect(daemon.output()).not.toContain(TOKEN);
  });

  it("with a reverse proxy, trusts the user header from the proxy's address only", async () => {
    const trusted = await serve(
      'proxy.yaml',
      '0.0.0.0',
      '  auth:\n    proxy:\n      userHeader: X-Forwarded-User\n      trustedProxies: [127.0.0.0/8]\n',
    );
    expect(
      (await fetch(`${trusted.base}/api/status`, { headers: { 'x-forwarded-user': 'ada' } })).status,
    ).toBe(200);
    expect((await fetch(`${trusted.base}/api/status`)).status).toBe(401);
    const elsewhere = await serve(
      'elsewhere.yaml',
      '0.0.0.0',
      '  auth:\n    proxy:\n      userHeader: X-Forwarded-User\n      trustedProxies: [10.255.255.1]\n',
    );
    expect(
      (await fetch(`${elsewhere.base}/api/status`, { headers: { 'x-forwarded-user': 'ada' } })).status,
    ).toBe(401);
  });

  it('is loaded by the daemon that serves, never by status or renew (the cron path stays light)', async () => {
    const loaded = async (args: string[], name: string, daemon?: true): Promise<string[]> => {
      const log = join(dir, `modules-${name}.log`);
      await writeFile(log, '');
      const env = {
        NODE_OPTIONS: `--import=${join(import.meta.dirname, 'support/module-log.mjs')}`,
        CERTKEEPER_MODULE_LOG: log,
      };
      if (daemon) {
        const run = startDaemon(args, { cwd: dir, env });
        daemons.push(run);
        await run.waitFor(/status page, \/metrics and \/healthz on/);
      } else {
        const result = await runCli(args, { cwd: dir, env });
        expect(result.code, explain(result)).toBe(0);
      }
      const urls = (await readFile(log, 'utf8')).split('\n');
      // The log works: the CLI's own modules are in it.
      expect(urls.some((url) => url.includes('/packages/cli/dist/'))).toBe(true);
      // The CLI is a bundle: @certkeeper/web's code sits in chunks of packages/cli/dist, which its source map names.
      const web: string[] = [];
      for (const url of urls.filter((url) => url.startsWith('file:'))) {
        const map = await readFile(`${fileURLToPath(url)}.map`, 'utf8').catch(() => '{"sources":[]}');
        const sources = (JSON.parse(map) as { sources: string[] }).sources;
        if (url.includes('/packages/web/') || sources.some((source) => source.includes('/web/src/')))
          web.push(url);
      }
      return web;
    };
    const file = await config('cold.yaml', `  listen: 127.0.0.1:${await freePort()}\n`);
    expect(await loaded(['status', '--config', file], 'status')).toEqual([]);
    expect(await loaded(['renew', '--config', file], 'renew')).toEqual([]);
    expect((await loaded(['--config', file], 'run', true)).length).toBeGreaterThan(0);
  });

  it('on 127.0.0.1 without auth: open to loopback names, closed to a DNS-rebound name', async () => {
    const { base } = await serve('loopback.yaml', '127.0.0.1');
    expect((await fetch(`${base}/api/status`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    const port = new URL(base).port;
    expect((await fetch(`http://localhost:${port}/api/status`)).status).toBe(200);
    // fetch sets Host from the URL; a rebinding page's requests carry its own name.
    const { request } = await import('node:http');
    const rebound = await new Promise<number>((resolve, reject) =>
      request(
        { host: '127.0.0.1', port, path: '/api/status', headers: { host: `evil.test:${port}` } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end(),
    );
    expect(rebound).toBe(403);
  });
});
