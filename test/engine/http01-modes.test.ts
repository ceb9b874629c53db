import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import {
  AcmeClient,
  type ChallengeSolver,
  generateAccountKey,
  parseCertificate,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import {
  createHttp01Handler,
  Http01ChallengeRegistry,
  RegistryHttp01Solver,
  StandaloneHttp01Solver,
  WebrootHttp01Solver,
} from '@certkeeper/http01';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * http-01 through each of its three modes, end to end against Pebble: the VA fetches
 * http://<name>:<httpPort>/.well-known/acme-challenge/<token> from whatever listens on the port.
 */
describe('http-01 modes, issued from Pebble', () => {
  let pebble: PebbleHandle;
  let port: number;
  let client: AcmeClient;
  let accountUrl: string;
  let server: Server | undefined;

  beforeAll(async () => {
    const probe = new StandaloneHttp01Solver({ host: '127.0.0.1', port: 0 });
    port = (await probe.start()).port;
    await probe.stop();
    pebble = await startPebble({ httpPort: port });
    client = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: await generateAccountKey(),
    });
    accountUrl = (await client.accounts.create()).url;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });
  afterAll(async () => {
    await client?.close();
    await pebble?.stop();
  });

  const issue = async (name: string, solver: ChallengeSolver) => {
    const state = await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers: [name] });
    const { certificate } = await runOrder(state, { client, solvers: [solver] });
    return parseCertificate(certificate.pem);
  };
  const listen = async (handler: Parameters<typeof createServer>[1]) => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  };

  it('standalone: the solver runs its own responder', async () => {
    const solver = new StandaloneHttp01Solver({ host: '127.0.0.1', port });
    try {
      expect((await issue('standalone.http.example.test', solver)).names).toEqual([
        'standalone.http.example.test',
      ]);
    } finally {
      await solver.stop();
    }
  });

  it('webroot: files written for an existing web server, removed afterwards', async () => {
    const webroot = await mkdtemp(join(tmpdir(), 'certkeeper-webroot-'));
    const served: string[] = [];
    // A plain static file server standing in for nginx: serves files under the webroot, nothing else.
    await listen(async (req, res) => {
      const path = normalize(join(webroot, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
      if (!path.startsWith(webroot)) return void res.writeHead(403).end();
      try {
        const body = await readFile(path);
        served.push(path);
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    try {
      const leaf = await issue('webroot.http.example.test', new WebrootHttp01Solver({ webroot }));
      expect(leaf.names).toEqual(['webroot.http.example.test']);
      expect(served.length).toBeGreaterThan(0);
      expect(await readdir(webroot)).toEqual([]);
    } finally {
      await rm(webroot, { recursive: true, force: true });
    }
  });

  it("handler: the application's own server answers challenges and keeps serving its routes", async () => {
    const registry = new Http01ChallengeRegistry();
    const answer = createHttp01Handler(registry);
    let appRequests = 0;
    await listen((req, res) => {
      if (answer(req, res)) return;
      appRequests++;
      res.writeHead(200).end('application page');
    });
    const leaf = await issue('handler.http.example.test', new RegistryHttp01Solver(registry));
    expect(leaf.names).toEqual(['handler.http.example.test']);
    expect(registry.size).toBe(0);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toBe('application page');
    expect(appRequests).toBe(1);
  });
});
