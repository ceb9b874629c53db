import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type App, startApp } from '@certkeeper/example-ondemand-https';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSerial, freePort, handshake } from '../ondemand/support.js';
import { connectionString, requirePostgres, testSchema } from '../store/support/postgres.js';
import { ordersAtCa } from '../support/orders-at-ca.js';

const run = promisify(execFile);

/** examples/ondemand-https as its README starts it, against a local Pebble whose VA reaches its two ports. */
describe('examples/ondemand-https', () => {
  let pebble: PebbleHandle;
  let httpsPort: number;
  let httpPort: number;
  let root: string;
  let work: string;
  const apps: App[] = [];
  const { schema, drop } = testSchema('ondemand');
  const start = (store: Parameters<typeof startApp>[0]['store'], ports = { httpsPort, httpPort }) =>
    startApp({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      contact: 'ops@example.test',
      allow: ['*.ondemand.example.test'],
      store,
      host: '127.0.0.1',
      ...ports,
    }).then((app) => {
      apps.push(app);
      return app;
    });

  beforeAll(async () => {
    await requirePostgres();
    httpsPort = await freePort();
    httpPort = await freePort();
    pebble = await startPebble({ tlsPort: httpsPort, httpPort });
    root = await pebble.rootCertificatePem();
    work = await mkdtemp(join(tmpdir(), 'certkeeper-example-ondemand-'));
    await writeFile(join(work, 'root.pem'), root);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  afterAll(async () => {
    await pebble?.stop();
    await drop();
    await rm(work, { recursive: true, force: true });
  });

  it('FileStore: curl gets a page over a certificate issued on its first visit; port 80 redirects', async () => {
    const app = await start({ directory: join(work, 'data') });
    const name = 'www.ondemand.example.test';
    const { stdout } = await run('curl', [
      '--silent',
      '--show-error',
      '--cacert',
      join(work, 'root.pem'),
      '--resolve',
      `${name}:${app.httpsPort}:127.0.0.1`,
      `https://${name}:${app.httpsPort}/`,
    ]);
    expect(stdout).toBe(`Hello from ${name}:${app.httpsPort}, served with an on-demand certificate.\n`);
    expect(app.onDemand.names()).toEqual([name]);
    // (curl, since fetch may not set Host.)
    const redirect = await run('curl', [
      '--silent',
      '--output',
      '/dev/null',
      '--write-out',
      '%{http_code} %{redirect_url}',
      '--resolve',
      `${name}:${app.httpPort}:127.0.0.1`,
      `http://${name}:${app.httpPort}/path?q=1`,
    ]);
    expect(redirect.stdout).toBe(`308 https://${name}/path?q=1`);
    // The challenge path belongs to the http-01 handler, even with nothing pending.
    expect(
      (await fetch(`http://127.0.0.1:${app.httpPort}/.well-known/acme-challenge/${'a'.repeat(43)}`)).status,
    ).toBe(404);
  });

  it('PostgreSQL: a second server loads the first one’s certificate, and picks up its renewal without a restart', async () => {
    const first = await start({ databaseUrl: connectionString, schema });
    const second = await start(
      { databaseUrl: connectionString, schema },
      { httpsPort: await freePort(), httpPort: await freePort() },
    );
    const name = 'shared.ondemand.example.test';
    const issued = await handshake(first.httpsPort, name, { ca: root });
    expect(issued.authorized).toBe(true);
    const loaded: string[] = [];
    second.onDemand.events.on('loaded', (event) => loaded.push(event.serialNumberHex));
    second.onDemand.events.on('issued', () => loaded.push('issued!'));
    expect((await handshake(second.httpsPort, name, { ca: root })).serialNumber).toBe(issued.serialNumber);
    expect(loaded).toHaveLength(1);
    const orders = () =>
      ordersAtCa(first.store, pebble).then((all) =>
        all.filter((order) => order.identifiers[0]?.value === name),
      );
    expect(await orders()).toHaveLength(1);

    // The first server renews (forced here; its timer does it when due); the second notices on its next check.
    const renewed = await first.manager.ensure({ identifiers: [name], force: true });
    expect(renewed.type).toBe('renewed');
    const swapped = new Promise<string>((resolve) =>
      second.onDemand.events.once('renewed', (event) => resolve(event.serialNumberHex)),
    );
    await second.onDemand.renewNow();
    const serial = await swapped;
    expect(serial).toBe('certificate' in renewed ? renewed.certificate.serialNumberHex : '');
    const after = await handshake(second.httpsPort, name, { ca: root });
    expect(after.serialNumber).toBe(canonicalSerial(serial));
    expect(after.serialNumber).not.toBe(issued.serialNumber);
    expect(await orders()).toHaveLength(2);
  });
});
