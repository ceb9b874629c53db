/**
 * `pnpm demo`: starts a private Pebble CA, issues certificates from it with the step engine, writes them under
 * `.certkeeper/demo/`, and prints what was issued. Shows the step-by-step engine with its state persisted after
 * every step, as an application's job queue would do. (The CLI will take this role once it exists.)
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  AcmeClient,
  generateAccountKey,
  type OrderState,
  parseCertificate,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import { StandaloneHttp01Solver } from '@certkeeper/http01';
import { startPebble } from '@certkeeper/testkit';

const outputDir = resolve(process.env.CERTKEEPER_DEMO_DIR ?? '.certkeeper/demo');
const certificates = [['www.demo.test'], ['demo.test', 'api.demo.test', 'mail.demo.test'], ['127.0.0.1']];

async function main(): Promise<void> {
  const started = performance.now();
  const http01 = new StandaloneHttp01Solver({ host: '127.0.0.1', port: 0 });
  const server = await http01.start();
  const pebble = await startPebble({ httpPort: server.port });
  console.log(`Pebble (test CA) ready at ${pebble.directoryUrl} in ${pebble.startupMs} ms`);
  const client = new AcmeClient({
    directoryUrl: pebble.directoryUrl,
    caBundle: pebble.caBundlePem,
    accountKey: await generateAccountKey(),
  });
  try {
    const account = await client.accounts.create({ contact: ['mailto:admin@demo.test'] });
    console.log(`account registered: ${account.url}`);
    const rows: string[][] = [];
    for (const names of certificates) {
      const dir = join(outputDir, names[0]!.replace(/[^a-z0-9.-]/gi, '_'));
      await mkdir(dir, { recursive: true });
      const statePath = join(dir, 'order-state.json');
      const persist = async (state: OrderState) => {
        // The state holds the certificate key until the order is done: written 0600 like a key.
        await writeFile(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });
        console.log(`  ${names.join(', ')}: ${state.phase}`);
      };
      const t0 = performance.now();
      const state = await prepareOrder({
        directoryUrl: pebble.directoryUrl,
        accountUrl: account.url,
        identifiers: names,
      });
      const { certificate, state: final } = await runOrder(
        state,
        { client, solvers: [http01] },
        { onState: persist },
      );
      await writeFile(join(dir, 'fullchain.pem'), certificate.pem);
      await writeFile(join(dir, 'privkey.pem'), final.certificateKeyPem!, { mode: 0o600 });
      await chmod(join(dir, 'privkey.pem'), 0o600);
      const leaf = parseCertificate(certificate.pem);
      rows.push([
        names.join(', '),
        leaf.notAfter.toISOString().slice(0, 10),
        `${Math.round(performance.now() - t0)} ms`,
        dir,
      ]);
    }
    console.log('\nissued:');
    console.table(rows.map(([names, expires, took, dir]) => ({ names, expires, took, files: dir })));
    console.log(
      `done in ${Math.round(performance.now() - started)} ms; ${client.transport.stats.requests} requests to the CA`,
    );
  } finally {
    await client.close();
    await http01.stop();
    await pebble.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
