import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Representations } from './representation.js';

/** What scripts/build-page.mjs writes beside the assets: one entry per URL path. */
interface PageManifest {
  readonly assets: readonly {
    readonly path: string;
    readonly file: string;
    readonly type: string;
    readonly digest: string;
    /** Named by its content hash: cacheable for ever. */
    readonly immutable: boolean;
  }[];
}

export interface PageAsset extends Representations {
  readonly cacheControl: string;
}

/**
 * The page's files, built at package build time (the script bundle, the stylesheet, index.html) with their brotli
 * and gzip forms, read once into memory: under 100 KB in all. `dist/page` is found from the package's own
 * package.json (a self-reference by name), so the sources in tests, the package's dist and the CLI's bundle (whose
 * chunks sit elsewhere) all find the built assets.
 */
export async function loadPageAssets(
  directory = new URL(
    'dist/page/',
    pathToFileURL(createRequire(import.meta.url).resolve('@certkeeper/web/package.json')),
  ),
): Promise<Map<string, PageAsset>> {
  const manifestUrl = new URL('manifest.json', directory);
  const manifest = JSON.parse(
    await readFile(manifestUrl, 'utf8').catch((error: unknown) => {
      throw new Error(
        `The status page's assets are not built (${manifestUrl.pathname} is missing): run pnpm build.`,
        { cause: error },
      );
    }),
  ) as PageManifest;
  const assets = new Map<string, PageAsset>();
  for (const asset of manifest.assets) {
    const url = new URL(asset.file, directory);
    const [identity, br, gzip] = await Promise.all([
      readFile(url),
      readFile(new URL(`${asset.file}.br`, directory)),
      readFile(new URL(`${asset.file}.gz`, directory)),
    ]);
    assets.set(asset.path, {
      identity,
      br,
      gzip,
      digest: asset.digest,
      type: asset.type,
      cacheControl: asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  return assets;
}
