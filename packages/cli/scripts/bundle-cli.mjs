// Bundles the CLI after `tsc -b` (issue 13): dist/cli.js becomes one ES module holding what `--help` and every
// command share, and each dynamic import (a command, the manager, a DNS plugin, the daemon's status page) becomes a
// chunk in dist/chunks/, read only when a command reaches it. Resolving and compiling ~270 files on every start
// was half of a cold `renew`; one file per chunk is read and compiled once (with the compile cache, not at all).
// tsc's other output in dist/ stays: it is the package's library export (index.js and its declarations) and the man
// page writer.
import { chmod, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { engines } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const nodeFloor = /(\d+\.\d+)/.exec(engines.node)?.[1];
if (!nodeFloor)
  throw new Error(`packages/cli/package.json: no Node version in engines.node (${engines.node})`);

// Chunks of an earlier build are named by content hash; a new build would leave them lying beside its own.
await rm(join(dist, 'chunks'), { recursive: true, force: true });

await build({
  // tsc's output, not the sources: the bundle runs exactly the code the type check and declarations describe.
  // The entry is src/bin.ts's (not a cli.ts's, which tsc would write where the bundle goes and a later build would
  // then bundle the bundle).
  entryPoints: { cli: join(dist, 'bin.js') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: `node${nodeFloor}`,
  outdir: dist,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  allowOverwrite: true,
  // reflect-metadata is a global polyfill that x509's tsyringe and the manager's container share: one installed
  // copy for both. @peculiar/x509 is bundled as a chunk of its own (core's loadX509() imports it while the CA
  // validates); core's synchronous fallback, x509(), requires the installed package when nothing loaded it first.
  external: ['reflect-metadata'],
  // Bundled CommonJS packages (undici, yaml's dependencies, vendor SDKs) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __certkeeperRequire } from 'node:module'; const require = __certkeeperRequire(import.meta.url);",
  },
  // Class and function names stay: error names and `constructor.name` appear in messages and logs.
  keepNames: true,
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'linked',
  logLevel: 'warning',
});
await chmod(join(dist, 'cli.js'), 0o755);
