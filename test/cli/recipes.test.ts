// What `issue` was told is what `renew` does: a certificate issued with webroot, output and hook flags is renewed by
// the plain cron line (no flags, a config with no solvers and no certificates) the same way — ordered through the
// webroot, written to the output directory, the hook run. Also: a failed hook is retried by the next run and shown
// in `status`; an output directory that stopped serving the stored certificate is repaired without an order; and
// `forget` stops keeping it. Pebble 2.10 validates http-01 against a small static server over the webroot.
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { certificateMatchesKey, importCertificateKey, parseCertificate } from '@certkeeper/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCliBuilt,
  explain,
  removeWorkdirs,
  runCli,
  significantRequests,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';
import { startDaemon } from './support/daemon-process.js';

let dir: string;
let ca: TestCa;
let webServer: Server;
const names = ['recipe.test', 'www.recipe.test'];
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });
const out = () => join(dir, 'out');
const hookLog = () => join(dir, 'hook.log');

/** Serve the webroot on the VA's http-01 port, as the web server for these names would. */
function serveWebroot(root: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (!/^\/\.well-known\/acme-challenge\/[\w-]+$/.test(path)) return void response.writeHead(404).end();
    const stream = createReadStream(join(root, path));
    stream.on('error', () => response.writeHead(404).end());
    stream.pipe(response);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function hookRuns(): Promise<string[]> {
  return (await readFile(hookLog(), 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

/** The output directory's certificate and key, through its stable names: the serial, and whether they match. */
async function served(): Promise<{ serial: string; matches: boolean }> {
  const cert = parseCertificate(await readFile(join(out(), 'fullchain.pem'), 'utf8'));
  const key = importCertificateKey(await readFile(join(out(), 'privkey.pem'), 'utf8'));
  return { serial: cert.serialNumberHex, matches: certificateMatchesKey(cert, key) };
}

const orders = () => ca.proxy.log.filter((e) => e.kind === 'newOrder' && e.method === 'POST').length;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('recipes');
  ca = await startTestCa(dir);
  await mkdir(join(dir, 'www'));
  webServer = await serveWebroot(join(dir, 'www'), ca.httpPort);
  // The hook logs what it was told, and fails while ./hook-fails exists.
  await writeFile(
    join(dir, 'hook.sh'),
    '[ -e hook-fails ] && { echo "reload refused" >&2; exit 3; }\necho "$CERTKEEPER_EVENT $CERTKEEPER_SERIAL $CERTKEEPER_PRIVKEY" >> hook.log\n',
  );
  // The cron line's config: the CA and the store, no solvers, no certificates.
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    `ca:\n  directory: ${ca.proxy.directoryUrl}\n  caBundle: ${ca.caBundleFile}\naccount:\n  email: ops@example.test\n  agreeTos: true\nstore:\n  directory: ./data\n`,
  );
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => webServer?.close(resolve));
  await ca?.close();
  await removeWorkdirs();
});

describe('issue remembers how a certificate was made; renew, status and forget use it', () => {
  it('issue with webroot, output and hook writes the versioned output and runs the hook', async () => {
    const issued = await certkeeper(
      'issue',
      '--http-webroot',
      './www',
      '--output',
      './out',
      '--deploy-hook',
      'sh hook.sh',
      ...names,
    );
    expect(issued.code, explain(issued)).toBe(0);
    const first = await served();
    expect(first.matches).toBe(true);
    expect(await hookRuns()).toEqual([`issued ${first.serial} ${join(out(), 'privkey.pem')}`]);
    // The stable names link through one `current` link to a version directory.
    expect(await readlink(join(out(), 'privkey.pem'))).toBe('current/privkey.pem');
    expect((await lstat(join(out(), 'current'))).isSymbolicLink()).toBe(true);
    expect(await readdir(join(out(), '.versions'))).toHaveLength(1);

    const status = await certkeeper('status', '--wide');
    expect(status.stdout).toContain(
      `issued with: webroot ${join(dir, 'www')}, key ec256, output ${out()}, hook sh`,
    );
    // The store holds the recipe, and nothing the hook or a solver would need as a secret.
    const json = JSON.parse((await certkeeper('status', '--json')).stdout) as {
      certificates: { identifiers: string[]; recipe?: { solvers: unknown[]; output: string } }[];
    };
    expect(json.certificates[0]?.recipe).toMatchObject({
      output: out(),
      solvers: [{ type: 'http-01-webroot', webroot: join(dir, 'www') }],
    });
  });

  it('plain renew after the CA moves the renewal window into the past renews the same way: webroot, output, hook', async () => {
    const before = await served();
    // Pebble's ARI window stands for "two thirds of the lifetime have passed": it is due now.
    const window = { start: new Date(Date.now() - 3_600_000), end: new Date(Date.now() - 60_000) };
    await ca.pebble.setRenewalInfo(
      await readFile(join(out(), 'cert.pem'), 'utf8'),
      JSON.stringify({
        suggestedWindow: { start: window.start.toISOString(), end: window.end.toISOString() },
      }),
    );
    ca.proxy.clearLog();
    const renewed = await certkeeper('renew');
    expect(renewed.code, explain(renewed)).toBe(4);
    expect(renewed.stdout).toMatch(/^recipe\.test, www\.recipe\.test: renewed/m);
    expect(orders()).toBe(1);
    const after = await served();
    expect(after.matches).toBe(true);
    expect(after.serial).not.toBe(before.serial);
    expect((await hookRuns()).at(-1)).toBe(`renewed ${after.serial} ${join(out(), 'privkey.pem')}`);
    expect(await hookRuns()).toHaveLength(2);
    // The new version and the previous one are kept.
    expect(await readdir(join(out(), '.versions'))).toHaveLength(2);

    ca.proxy.clearLog();
    const again = await certkeeper('renew');
    expect(again.code, explain(again)).toBe(0);
    expect(significantRequests(ca.proxy)).toEqual([]);
    expect(await hookRuns()).toHaveLength(2);
  });

  it('a failed hook is shown in status and retried by the next plain renew, without an order', async () => {
    await writeFile(join(dir, 'hook-fails'), '');
    const forced = await certkeeper('renew', '--force');
    expect(forced.code, explain(forced)).toBe(1);
    expect(forced.stderr).toContain('deploy failed');
    const renewedSerial = (await served()).serial;
    const status = await certkeeper('status', '--wide');
    expect(status.stdout).toMatch(
      /deploy failed \(1 in a row, .*exited with status 3.*the next run tries again/,
    );

    await rm(join(dir, 'hook-fails'));
    ca.proxy.clearLog();
    const retried = await certkeeper('renew');
    expect(retried.code, explain(retried)).toBe(0);
    expect(retried.stdout).toContain('deployed again');
    expect(orders()).toBe(0);
    expect((await hookRuns()).at(-1)).toMatch(new RegExp(`^renewed ${renewedSerial} `));
    expect((await certkeeper('status', '--wide')).stdout).not.toContain('deploy failed');
  });

  it('an output directory that no longer serves the stored certificate is written again, and the hook run', async () => {
    const runs = (await hookRuns()).length;
    // Someone (or a kill inside the one-time conversion from plain files) left a plain, wrong key file.
    await rm(join(out(), 'privkey.pem'));
    await writeFile(join(out(), 'privkey.pem'), 'not the key\n');
    ca.proxy.clearLog();
    const repaired = await certkeeper('renew');
    expect(repaired.code, explain(repaired)).toBe(0);
    expect(orders()).toBe(0);
    expect((await served()).matches).toBe(true);
    expect(await hookRuns()).toHaveLength(runs + 1);
  });

  it('the daemon keeps it the same way: run repairs the output with the recipe, without an order', async () => {
    const runs = (await hookRuns()).length;
    await rm(join(out(), 'current'));
    ca.proxy.clearLog();
    const daemon = startDaemon([], { cwd: dir });
    try {
      await daemon.waitFor(/recipe\.test, www\.recipe\.test: .*deployed again/);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    expect(orders()).toBe(0);
    expect((await served()).matches).toBe(true);
    expect(await hookRuns()).toHaveLength(runs + 1);
  });

  it('forget stops keeping it: gone from status and renew, output left as it is; a second forget is exit 2', async () => {
    const forgot = await certkeeper('forget', 'www.recipe.test', 'recipe.test');
    expect(forgot.code, explain(forgot)).toBe(0);
    expect(forgot.stdout).toContain(`${out()} left as it is`);
    expect((await certkeeper('status')).stdout).toContain('No certificates configured or stored');
    const renew = await certkeeper('renew');
    expect(renew.code, explain(renew)).toBe(0);
    expect(renew.stdout).toContain('nothing to renew');
    expect((await served()).matches).toBe(true);

    const again = await certkeeper('forget', 'recipe.test', 'www.recipe.test');
    expect(again.code, explain(again)).toBe(2);
    expect(again.stderr).toContain('No certificate for exactly recipe.test, www.recipe.test');
    expect(again.stderr).toContain('certkeeper status');
  });
});
