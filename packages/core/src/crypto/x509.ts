import { createRequire } from 'node:module';
import type * as Asn1Csr from '@peculiar/asn1-csr';
import type * as Asn1Schema from '@peculiar/asn1-schema';
import type * as Asn1X509 from '@peculiar/asn1-x509';
import type * as X509 from '@peculiar/x509';

export type { X509 };

/**
 * @peculiar/asn1-schema, -x509 and -csr: the ASN.1 layer under x509, for reading certificates in one pass and
 * writing CSRs directly.
 */
export interface Asn1 {
  readonly schema: typeof Asn1Schema;
  readonly x509: typeof Asn1X509;
  readonly csr: typeof Asn1Csr;
}

const require = createRequire(import.meta.url);
let loaded: typeof X509 | undefined;
let loading: Promise<typeof X509> | undefined;
let asn1Loaded: Asn1 | undefined;
let asn1Loading: Promise<Asn1> | undefined;

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
    await loadAsn1();
    return loaded;
  })();
  return loading;
}

/**
 * Load the ASN.1 layer ahead of {@link asn1}, without x509 (the issuance path needs only this layer: an order
 * starts it while the CA validates, and the CSR awaits it). Dynamic imports, like {@link loadX509}'s: the CLI's
 * bundle holds the three packages in chunks shared with x509's.
 */
export function loadAsn1(): Promise<Asn1> {
  if (asn1Loaded) return Promise.resolve(asn1Loaded);
  asn1Loading ??= (async () => {
    const [schema, asn1x509, csr] = await Promise.all([
      import('@peculiar/asn1-schema') as Promise<typeof Asn1Schema & { default?: typeof Asn1Schema }>,
      import('@peculiar/asn1-x509') as Promise<typeof Asn1X509 & { default?: typeof Asn1X509 }>,
      import('@peculiar/asn1-csr') as Promise<typeof Asn1Csr & { default?: typeof Asn1Csr }>,
    ]);
    asn1Loaded ??= {
      schema: schema.default ?? schema,
      x509: asn1x509.default ?? asn1x509,
      csr: csr.default ?? csr,
    };
    return asn1Loaded;
  })();
  return asn1Loading;
}

/**
 * The ASN.1 layer under x509 (its CommonJS builds, as x509 uses them), loaded by {@link loadAsn1}, else
 * required here. Certificates are read and CSRs written with it directly: x509's X509Certificate builds an object
 * for every extension a certificate has and re-encodes each to parse it again, several times the cost of the one
 * parse that gives all certkeeper reads, and its CSR generator signs through WebCrypto and re-parses its result
 * (issue 13).
 */
export function asn1(): Asn1 {
  asn1Loaded ??= {
    schema: require('@peculiar/asn1-schema') as typeof Asn1Schema,
    x509: require('@peculiar/asn1-x509') as typeof Asn1X509,
    csr: require('@peculiar/asn1-csr') as typeof Asn1Csr,
  };
  return asn1Loaded;
}
