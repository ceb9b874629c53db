import { createRequire } from 'node:module';
import type * as X509 from '@peculiar/x509';

export type { X509 };

const require = createRequire(import.meta.url);
let loaded: typeof X509 | undefined;

/**
 * @peculiar/x509, loaded on first use. Loading it (with the reflect-metadata polyfill its tsyringe needs first)
 * takes ~280 ms, about half of a cold process's start: a process that finds its certificate fresh, or a worker
 * that only runs the early steps of an order, never pays it. Its CommonJS build is required synchronously so the
 * parsing functions can stay synchronous.
 */
export function x509(): typeof X509 {
  if (!loaded) {
    require('reflect-metadata');
    loaded = require('@peculiar/x509') as typeof X509;
  }
  return loaded;
}
