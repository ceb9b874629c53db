// A solver per name, from the config file (certbot's `-w` per `-d`): two webroots, one per site, behind one web
// server that serves each site from its own document root by Host header — as the vhosts of a real server do.
// One certificate for names of both sites is only issued when each name's challenge file lands in its own site's
// root. Also: the recipe remembers each solver's domains, and overlapping domains are refused with their place.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { parseCertificate } from '@certkeeper/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCliBuilt,
  explain,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;
let webServer: Server;
const served: string[] = [];
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });

/** Each site from its own root: a challenge file written to the other site's root is a 404. */
function serveSites(roots: Readonly<Record<string, string>>, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    const site = Object.keys(roots).find((domain) => host === domain || host.endsWith(`.${domain}`));
    const path = (request.url ?? '/').split('?')[0]!;
    if (!site || !/^\/\.well-known\/acme-challenge\/[\w-]+$/.test(path))
      return void response.writeHead(404).end();
    const stream = createReadStream(join(roots[site]!, path));
    stream.on('error', () => response.writeHead(404).end());
    stream.on('open', () => served.push(`${host} ${site}`));
    stream.pipe(response);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

const config = (solvers: string, certificates = '') =>
  `ca:\n  directory: ${ca.proxy.directoryUrl}\n  caBundle: ${ca.caBundleFile}\naccount:\n  email: ops@example.test\n  agreeTos: true\nstore:\n  directory: ./data\nsolvers:\n${solvers}${certificates}`;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('solver-domains');
  ca = await startTestCa(dir);
  await mkdir(join(dir, 'site-a'));
  await mkdir(join(dir, 'site-b'));
  webServer = await serveSites(
    { 'a.domains.test': join(dir, 'site-a'), 'b.domains.test': join(dir, 'site-b') },
    ca.httpPort,
  );
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => webServer?.close(resolve));
  await ca?.close();
  await removeWorkdirs();
});

describe('solvers[].domains', () => {
  it('one certificate over two sites: each name is answered through its own site’s webroot', async () => {
    await writeFile(
      join(dir, 'sites.yaml'),
      config(
        '  - type: http-01-webroot\n    webroot: ./site-a\n    domains: [a.domains.test]\n  - type: http-01-webroot\n    webroot: ./site-b\n    domains: [b.domains.test]\n',
        'certificates:\n  - names: [a.domains.test, www.a.domains.test, b.domains.test]\n    output: ./out\n',
      ),
    );
    const result = await certkeeper('-c', 'sites.yaml', 'renew');
    expect(result.code, explain(result)).toBe(4);
    const cert = parseCertificate(await readFile(join(dir, 'out', 'cert.pem'), 'utf8'));
    expect([...cert.names].sort()).toEqual(['a.domains.test', 'b.domains.test', 'www.a.domains.test']);
    // Pebble fetched every name's file from the root of that name's site.
    expect(new Set(served)).toEqual(
      new Set([
        'a.domains.test a.domains.test',
        'www.a.domains.test a.domains.test',
        'b.domains.test b.domains.test',
      ]),
    );
  }, 60_000);

  it('issue remembers each solver’s domains: status shows them', async () => {
    await writeFile(
      join(dir, 'issue.yaml'),
      config(
        '  - type: http-01-webroot\n    webroot: ./site-a\n    domains: [a.domains.test]\n  - type: http-01-webroot\n    webroot: ./site-b\n    domains: [b.domains.test]\n',
      ),
    );
    const issued = await certkeeper('-c', 'issue.yaml', 'issue', 'api.a.domains.test', 'api.b.domains.test');
    expect(issued.code, explain(issued)).toBe(0);
    const status = await certkeeper('-c', 'issue.yaml', 'status', '--wide');
    expect(status.stdout).toContain(
      `issued with: webroot ${join(dir, 'site-a')} for a.domains.test + webroot ${join(dir, 'site-b')} for b.domains.test`,
    );
  }, 60_000);

  it('refuses a domain two solvers of one type claim, and two of one type without domains', async () => {
    await writeFile(
      join(dir, 'overlap.yaml'),
      config(
        '  - type: http-01-webroot\n    webroot: ./site-a\n    domains: [a.domains.test]\n  - type: http-01-webroot\n    webroot: ./site-b\n    domains: [b.domains.test, A.domains.test]\n',
      ),
    );
    const overlap = await certkeeper('-c', 'overlap.yaml', 'issue', 'x.a.domains.test');
    expect(overlap.code, explain(overlap)).toBe(2);
    expect(overlap.stderr).toMatch(/overlap\.yaml:\d+:\d+/);
    expect(overlap.stderr).toContain('a.domains.test is already in the domains of solvers[0]');

    await writeFile(
      join(dir, 'twice.yaml'),
      config(
        '  - type: http-01-webroot\n    webroot: ./site-a\n  - type: http-01-webroot\n    webroot: ./site-b\n',
      ),
    );
    const twice = await certkeeper('-c', 'twice.yaml', 'issue', 'x.a.domains.test');
    expect(twice.code, explain(twice)).toBe(2);
    expect(twice.stderr).toContain('give one of them domains: [...]');

    await writeFile(
      join(dir, 'bad.yaml'),
      config('  - type: http-01-webroot\n    webroot: ./site-a\n    domains: ["https://a.domains.test/"]\n'),
    );
    const bad = await certkeeper('-c', 'bad.yaml', 'issue', 'x.a.domains.test');
    expect(bad.code, explain(bad)).toBe(2);
    expect(bad.stderr).toContain('expected a domain name');
  }, 60_000);
});
