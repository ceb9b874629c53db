import { createRequire } from 'node:module';

/**
 * certkeeper's version, read from its package.json by package name (a self-reference through the `exports` map),
 * not by relative path: the bundled dist/cli.js and its chunks sit at other depths than the sources.
 */
export const version = (createRequire(import.meta.url)('certkeeper/package.json') as { version: string })
  .version;
