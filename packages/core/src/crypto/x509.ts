import { createRequire } from 'node:module';
import type * as X509 from '@peculiar/x509';

export type { X509 };

const require = createRequire(import.meta.url);
let loaded: typeof X509 | undefined;
let loading: Promise<typeof X509> | undefined;

/**
 * @peculiar/x509, loaded on first use. Loading it (with the reflect-metadata polyfill its tsyringe needs first)
 * takes ~280 ms, about half of a cold process's start: a process that finds its certificate fresh, or a worker
 * that only runs the early steps of an order, never pays it. The parsing functions stay synchronous: when
 * {@link loadX509} has not run, its CommonJS build is required here.
 */
export function x509(): typeof X509 {
  if (!loaded) {
    require('reflect-metadata');
    loaded = require('@peculiar/x509') as typeof X509;
  }
  return loaded;
}

/**
 * Load @peculiar/x509 ahead of {@link x509}, without blocking: an order starts it while the CA validates, and
 * awaits it before the CSR. A dynamic import, so the CLI's bundle carries x509 as one chunk of its own (one file,
 * ~6 MB less RSS than its ~200 installed files, issue 13); in a plain installation both ways reach the same file.
 * Whichever way runs first wins, so a process holds one copy.
 */
export function loadX509(): Promise<typeof X509> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    await import('reflect-metadata');
    const namespace = (await import('@peculiar/x509')) as typeof X509 & { default?: typeof X509 };
    // The CommonJS build is what Node and the CLI's bundle import: its exports object is the default export.
    loaded ??= namespace.default ?? namespace;
    return loaded;
  })();
  return loading;
}
