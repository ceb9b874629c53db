// Builds the status page at package build time: esbuild bundles src/page (plain TypeScript and CSS, no framework)
// into content-hashed files, index.html points at them, and every file gets its brotli and gzip forms so the
// daemon serves them as they are. Fails when the page weighs more than its budget (100 KB compressed in total).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src/page');
const out = join(root, 'dist/page');
const BUDGET_BYTES = 100 * 1024;

await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: [join(source, 'main.ts'), join(source, 'styles.css')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  entryNames: '[name]-[hash]',
  outdir: join(out, 'assets'),
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((path) => join(root, '..', '..', path));
const script = outputs.find((path) => path.endsWith('.js'));
const style = outputs.find((path) => path.endsWith('.css'));
if (!script || !style) throw new Error(`esbuild wrote ${outputs.join(', ')}: no script or stylesheet`);

const icon = await readFile(join(source, 'icon.svg'));
const iconName = `icon-${digest(icon).slice(0, 8)}.svg`;
await writeFile(join(out, 'assets', iconName), icon);

const html = (await readFile(join(source, 'index.html'), 'utf8'))
  .replace('{{script}}', `/assets/${basename(script)}`)
  .replace('{{style}}', `/assets/${basename(style)}`)
  .replaceAll('{{icon}}', `/assets/${iconName}`);
await writeFile(join(out, 'index.html'), html);

const files = [
  { path: '/', file: 'index.html', type: 'text/html; charset=utf-8', immutable: false },
  {
    path: `/assets/${basename(script)}`,
    file: `assets/${basename(script)}`,
    type: 'text/javascript; charset=utf-8',
    immutable: true,
  },
  {
    path: `/assets/${basename(style)}`,
    file: `assets/${basename(style)}`,
    type: 'text/css; charset=utf-8',
    immutable: true,
  },
  { path: `/assets/${iconName}`, file: `assets/${iconName}`, type: 'image/svg+xml', immutable: true },
];
const assets = [];
const sizes = { identity: 0, br: 0, gzip: 0 };
for (const entry of files) {
  const body = await readFile(join(out, entry.file));
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  const gzip = gzipSync(body, { level: 9 });
  await writeFile(join(out, `${entry.file}.br`), br);
  await writeFile(join(out, `${entry.file}.gz`), gzip);
  sizes.identity += body.length;
  sizes.br += br.length;
  sizes.gzip += gzip.length;
  assets.push({ ...entry, digest: digest(body).slice(0, 27) });
}
await writeFile(join(out, 'manifest.json'), `${JSON.stringify({ assets, sizes }, null, 2)}\n`);
console.log(
  `status page: ${assets.length} files, ${sizes.identity} bytes, ${sizes.gzip} gzip, ${sizes.br} brotli`,
);
if (sizes.gzip > BUDGET_BYTES)
  throw new Error(`the status page weighs ${sizes.gzip} bytes gzip, over its ${BUDGET_BYTES}-byte budget`);

function digest(bytes) {
  return createHash('sha256').update(bytes).digest('base64url');
}
