/**
 * `pnpm demo` (after `pnpm build`, which the root script runs first): starts a private Pebble CA, writes a
 * certkeeper config pointing at it — its CA bundle, an http-01 standalone responder on the port Pebble's
 * validation authority connects to, the embedded FileStore in the demo directory — then runs the BUILT
 * `certkeeper` binary as a person would: `renew` (issues everything), `renew` again (a fresh no-op, as cron
 * would run it), and `status`.
 */
import { spawn } from 'node:child_process';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { startPebble } from '@certkeeper/testkit';

const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'packages/cli/dist/cli.js');
const demoDir = resolve(process.env.CERTKEEPER_DEMO_DIR ?? join(repo, '.certkeeper/demo'));

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Run the binary with the terminal attached, so the live progress view shows when this is a terminal. */
function certkeeper(args: string[]): Promise<number> {
  const shown = `certkeeper ${args.join(' ')}`.replaceAll(`${demoDir}/`, '');
  console.log(`\n$ ${shown}`);
  return new Promise((resolveCode, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: demoDir, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolveCode(code ?? 1));
  });
}

async function main(): Promise<void> {
  await access(cli).catch(() => {
    throw new Error(`${relative(repo, cli)} is missing: run \`pnpm build\` first (\`pnpm demo\` does).`);
  });
  const started = performance.now();
  // A new Pebble is a new CA: start from an empty store so the demo shows only what it issues now.
  await rm(demoDir, { recursive: true, force: true });
  await mkdir(demoDir, { recursive: true });
  const httpPort = await freePort();
  const pebble = await startPebble({ httpPort });
  try {
    console.log(`Pebble (a private test CA) ready at ${pebble.directoryUrl} in ${pebble.startupMs} ms`);
    await writeFile(join(demoDir, 'pebble-ca.pem'), pebble.caBundlePem);
    const config = join(demoDir, 'certkeeper.yaml');
    await writeFile(
      config,
      `# Written by pnpm demo: certkeeper against a local Pebble.
ca:
  directory: ${pebble.directoryUrl}
  caBundle: pebble-ca.pem        # Pebble's HTTPS certificate is signed by its own throwaway CA
  rateLimits: letsencrypt        # count as if this were Let's Encrypt, so status shows the budgets
account:
  email: admin@demo.test
  agreeTos: true                 # Pebble's terms; a real CA's are shown once when the account is registered
store:
  directory: store               # the embedded FileStore; certificates/<name>/ holds the PEM files
solvers:
  - type: http-01-standalone     # Pebble's validation authority connects to this port for every name
    listen: 127.0.0.1:${httpPort}
certificates:
  - names: [www.demo.test]
  - names: [demo.test, api.demo.test, mail.demo.test]
    output: out/demo.test        # also copied here, privkey.pem mode 0600
  - names: [127.0.0.1]
`,
    );
    const first = await certkeeper(['renew', '--config', config]);
    const second = await certkeeper(['renew', '--config', config]);
    const status = await certkeeper(['status', '--config', config]);
    console.log(
      `\nrenew exited ${first} (4: issued), then ${second} (0: everything fresh, nothing sent), status ${status}.` +
        `\nConfig ${relative(repo, config)}; files under ${relative(repo, join(demoDir, 'store/certificates'))}/ and ${relative(repo, join(demoDir, 'out'))}/.` +
        `\nDone in ${Math.round(performance.now() - started)} ms.`,
    );
    if (first !== 4 || second !== 0 || status !== 0) process.exitCode = 1;
  } finally {
    await pebble.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
