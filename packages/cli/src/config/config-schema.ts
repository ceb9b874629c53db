import { isIP } from 'node:net';
// A namespace import, not `{ z }`: esbuild then bundles only the parts of zod used here, so the chunk `issue` and
// `renew` load to read the config shrinks from 817 to 361 KB (no locales but English, no JSON Schema code; issue 13).
// biome.json refuses `{ z }` from 'zod'.
import * as z from 'zod';
import { concurrencySchema } from '../settings/concurrency.js';
import { durationSchema } from '../settings/duration.js';

// zod 4 compiles a parser for each object schema with `new Function` on its first parse (its JIT); a process parses
// its config once, so generating and compiling that code costs more than it saves (S1 of `pnpm bench:peers`: 7
// generated parsers, loadConfig ≈ 21 → 18.5 ms of CPU; issue 13). Jitless zod runs the same checks through its
// generic path, with the same results and messages.
z.config({ jitless: true });

/**
 * A secret: `{ env: NAME }` (an environment variable), `{ file: path }` (a file's contents, trailing newline
 * dropped; relative to the config file) or, with a warning, the value inline.
 */
export const secretSchema = z.union(
  [
    z.string().min(1),
    z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }),
    z.strictObject({ file: z.string().min(1) }),
  ],
  { error: 'expected { env: VARIABLE_NAME }, { file: path } or (discouraged) the secret inline' },
);

export type SecretReference = z.infer<typeof secretSchema>;

const keyType = z.enum(['ec256', 'ec384', 'rsa2048', 'rsa3072', 'rsa4096']);
/** A program and its arguments, run without a shell. */
const command = z.array(z.string().min(1)).min(1, { error: 'expected a list: [program, argument, ...]' });
/** `host:port`, `[v6]:port`, `:port` or a bare port. */
const listenAddress = z.union([z.string().min(1), z.int().min(0).max(65535)]);

/** `10.0.0.5`, `fd00::1`, `10.0.0.0/8`, `fd00::/8`. */
const ipOrRange = z.string().refine(
  (value) => {
    const [address = '', prefix, extra] = value.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return false;
    return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  },
  { error: 'expected an IP address or a CIDR range (10.0.0.0/8)' },
);

/**
 * The names a solver answers for: `example.com` covers it and every name below it, an IP address itself. The most
 * specific solver wins; a solver without `domains` takes every name no scoped solver can prove.
 */
const solverDomains = z
  .array(
    z
      .string()
      .refine(
        (value) =>
          isIP(value) !== 0 || /^(\*\.)?([a-z0-9_](-*[a-z0-9_])*\.)*[a-z0-9_](-*[a-z0-9_])*\.?$/i.test(value),
        {
          error: 'expected a domain name (example.com covers it and every name below it) or an IP address',
        },
      ),
  )
  .min(1, { error: 'expected at least one domain; leave domains out to answer for every name' })
  .optional();

const solverSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http-01-standalone'),
    /** Where the responder listens; the CA connects to port 80 of each name. Default ":80". */
    listen: listenAddress.optional(),
    domains: solverDomains,
  }),
  z.strictObject({
    type: z.literal('http-01-webroot'),
    /** The web server's document root; `.well-known/acme-challenge/` is written below it. */
    webroot: z.string().min(1),
    domains: solverDomains,
  }),
  z.strictObject({
    type: z.literal('tls-alpn-01-standalone'),
    /** Where the tls-alpn-01 responder listens; the CA connects to port 443 of each name. Default ":443". */
    listen: listenAddress.optional(),
    domains: solverDomains,
  }),
  z.strictObject({
    type: z.literal('dns-01'),
    /** Plugin: a short name ("rfc2136" → @certkeeper/dns-rfc2136) or a package name. */
    provider: z.string().min(1),
    /** The plugin's options (see `certkeeper plugins`); any string value may be a secret reference. */
    options: z.record(z.string(), z.unknown()).optional(),
    /** Zones to publish in, skipping the SOA walk (e.g. when `_acme-challenge` is delegated). */
    zones: z.array(z.string().min(1)).optional(),
    /** Resolvers for zone discovery (default: the system's). */
    resolvers: z.array(z.string().min(1)).optional(),
    /** Check propagation on these servers instead of the zone's NS set (split-horizon, tests). */
    nameservers: z.array(z.string().min(1)).optional(),
    /** Give up waiting for propagation after this many seconds (default 600). */
    propagationTimeout: z.int().positive().optional(),
    /** TTL of the TXT records (default 60). */
    ttl: z.int().positive().optional(),
    /**
     * Also answer dns-account-01 (draft-ietf-acme-dns-account-label) and prefer it where the CA offers it: records
     * at `_<account label>._acme-challenge.<name>`, so several accounts can validate one name at once. Default false.
     */
    dnsAccount01: z.boolean().optional(),
    /**
     * Also answer dns-persist-01 (draft-ietf-acme-dns-persist-00) and prefer it where the CA offers it: the challenge
     * is answered from the standing record `certkeeper persist publish` created at `_validation-persist.<name>`,
     * so orders write nothing to DNS. Default false.
     */
    dnsPersist01: z.boolean().optional(),
    domains: solverDomains,
  }),
]);

export type SolverConfig = z.infer<typeof solverSchema>;

const certificateSchema = z
  .strictObject({
    /** Optional with `csr`: the CSR's names are then the certificate's. */
    names: z.array(z.string().min(1)).min(1, { error: 'expected at least one name' }).optional(),
    keyType: keyType.optional(),
    profile: z.string().min(1).optional(),
    /** Also write fullchain.pem, privkey.pem (0600), cert.pem and chain.pem here after every issuance. */
    output: z.string().min(1).optional(),
    deployHook: command.optional(),
    /** Accept names with a label that mixes scripts (`аpple.test`: a Cyrillic а); refused by default as homographs. */
    allowMixedScripts: z.boolean().optional(),
    /** Renew once less than this remains (`30d` or seconds); an earlier ARI window still wins. */
    renewBefore: durationSchema.optional(),
    /** Renewals keep the certificate's private key (for pinned keys, DANE 3 1 1) instead of a new one. */
    reuseKey: z.boolean().optional(),
    /** A CSR file of your own (PEM or DER): ordered with it, read on every run; its names are the certificate's. */
    csr: z.string().min(1).optional(),
  })
  .refine((certificate) => certificate.names !== undefined || certificate.csr !== undefined, {
    error: 'expected names (or csr: a CSR file whose names they are)',
    path: ['names'],
  });

export type CertificateConfig = z.infer<typeof certificateSchema>;

/** The configuration file (YAML). Every key is optional; `certkeeper init` writes a commented example. */
export const configSchema = z.strictObject({
  ca: z
    .strictObject({
      /** An alias (letsencrypt, letsencrypt-staging, zerossl, google, buypass, ...) or an https:// URL. */
      directory: z.string().min(1).optional(),
      /** The CA's staging directory (alias or URL) for --dry-run; default: the known one of a public CA. */
      staging: z.string().min(1).optional(),
      /** PEM file of CA certificates to trust for the CA's HTTPS (a private CA). */
      caBundle: z.string().min(1).optional(),
      /** PEM file of the roots issued certificates must chain to (e.g. ISRG Root X1 and X2). */
      trustAnchors: z.string().min(1).optional(),
      /** Accept http:// from the CA: only for a local test CA. */
      allowInsecureHttp: z.boolean().optional(),
      /** The limits the local ledger applies (default: letsencrypt for Let's Encrypt, none otherwise). */
      rateLimits: z.enum(['letsencrypt', 'none']).optional(),
      /** Most names (and IPs) per certificate this CA accepts; default: Let's Encrypt's limits there, none elsewhere. */
      maxNames: z.int().positive().optional(),
    })
    .optional(),
  account: z
    .strictObject({
      name: z.string().min(1).optional(),
      email: z.union([z.string().min(3), z.array(z.string().min(3))]).optional(),
      keyAlgorithm: z.enum(['ES256', 'ES384', 'RS256']).optional(),
      eab: z.strictObject({ kid: z.string().min(1), hmacKey: secretSchema }).optional(),
      /** Agree to the CA's terms of service when a new account is registered (as --agree-tos). */
      agreeTos: z.boolean().optional(),
    })
    .optional(),
  store: z.strictObject({ directory: z.string().min(1).optional() }).optional(),
  defaults: z
    .strictObject({
      keyType: keyType.optional(),
      profile: z.string().min(1).optional(),
      deployHook: command.optional(),
      /** Seconds a deploy hook may run before it is stopped (default 300). */
      deployHookTimeout: z.int().positive().optional(),
      /** Accept mixed-script labels in every certificate's names (see certificates[].allowMixedScripts). */
      allowMixedScripts: z.boolean().optional(),
      /** Run once before the first order of a renew run or daemon sweep (e.g. stop the web server on :80). */
      preHook: command.optional(),
      /** Run once after the last order of a renew run or daemon sweep (e.g. start the web server again). */
      postHook: command.optional(),
      /** certificates[].reuseKey for every configured certificate that does not say. */
      reuseKey: z.boolean().optional(),
      /** certificates[].renewBefore for every certificate that does not say, stored ones included. */
      renewBefore: durationSchema.optional(),
      /** Certificates a renew run or daemon sweep works on at once (default 4; --concurrency wins). */
      concurrency: concurrencySchema.optional(),
    })
    .optional(),
  solvers: z.array(solverSchema).optional(),
  certificates: z.array(certificateSchema).optional(),
  daemon: z
    .strictObject({
      /** Where `run` serves /metrics and /healthz (default 127.0.0.1:9464; "off" to serve nothing). */
      listen: listenAddress.optional(),
      /** Longest sleep between sweeps, in seconds (default 3600). */
      maxSweepInterval: z.int().positive().optional(),
      /**
       * Who may read the status page, /api, /metrics and /healthz's details. Required when `listen` is not a
       * loopback address; when set, enforced on every address.
       */
      auth: z
        .strictObject({
          /** A bearer token (at least 16 characters), best as { env } or { file }. */
          token: secretSchema.optional(),
          /** A reverse proxy that authenticates people and names them in a header. */
          proxy: z
            .strictObject({
              /** The header the proxy sets, e.g. X-Forwarded-User. */
              userHeader: z.string().regex(/^[A-Za-z0-9-]+$/, { error: 'expected a header name' }),
              /** Addresses or CIDR ranges the proxy connects from; the header is ignored from anyone else. */
              trustedProxies: z.array(ipOrRange).min(1),
            })
            .optional(),
        })
        .refine((auth) => auth.token !== undefined || auth.proxy !== undefined, {
          error: 'expected token, proxy, or both',
        })
        .optional(),
    })
    .optional(),
});

export type CertkeeperConfig = z.infer<typeof configSchema>;
