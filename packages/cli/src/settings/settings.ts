import type { CertificateKeyType, ExternalAccountBinding } from '@certkeeper/core';
import type { RateLimitRuleSet } from '@certkeeper/policy';
import type { ListenAddress } from './listen-address.js';
import type { CsrSpec } from './read-csr.js';

/** A certificate to keep: from the config file, or from `issue <names…>`. */
export interface CertificateSpec {
  readonly names: readonly string[];
  readonly keyType: CertificateKeyType;
  readonly profile?: string;
  /** Directory to also write the PEM files to after issuance. */
  readonly output?: string;
  readonly deployHook?: readonly string[];
  /** Names with mixed-script labels were accepted for this certificate. */
  readonly allowMixedScripts?: boolean;
  /** Renew once less than this remains (ms); an earlier ARI window still wins. */
  readonly renewBeforeMs?: number;
  /** Renewals keep the stored certificate's private key. */
  readonly reuseKey?: boolean;
  /** The user's own CSR (`--csr`, `certificates[].csr`): ordered with exactly it; the key stays the user's. */
  readonly csr?: CsrSpec;
}

/** Where a setting came from, for messages: `file:line:col key` or a flag; `atKey` points at the key itself. */
export type Where = (key?: string, atKey?: boolean) => string;

export type SolverSpec = (
  | { readonly type: 'http-01-standalone'; readonly listen: ListenAddress; readonly where: Where }
  | { readonly type: 'http-01-webroot'; readonly webroot: string; readonly where: Where }
  | { readonly type: 'tls-alpn-01-standalone'; readonly listen: ListenAddress; readonly where: Where }
  | {
      readonly type: 'dns-01';
      readonly provider: string;
      /** Raw options (secrets still as references); validated against the plugin's descriptor when loaded. */
      readonly options: Readonly<Record<string, unknown>>;
      /** Options came from `CERTKEEPER_<PLUGIN>_*` variables (`--dns` without a matching config solver). */
      readonly optionsFromEnvironment: boolean;
      readonly zones?: readonly string[];
      readonly resolvers?: readonly string[];
      readonly nameservers?: readonly string[];
      readonly propagationTimeoutMs?: number;
      readonly ttl?: number;
      /** Also answer dns-account-01, preferred where offered (`dnsAccount01: true`, `--dns-account-01`). */
      readonly dnsAccount01?: boolean;
      /** Also answer dns-persist-01 from the standing record, preferred where offered (`dnsPersist01: true`, `--dns-persist-01`). */
      readonly dnsPersist01?: boolean;
      readonly where: Where;
    }
) & {
  /** `solvers[].domains`: the names this solver answers for (scopeSolvers); absent: every name no other claims. */
  readonly domains?: readonly string[];
};

/** Everything a command needs, from the config file and the flags (flags win), checked and resolved. */
export interface Settings {
  readonly configFile?: string;
  /** Relative paths (secret files, outputs) resolve from here: the config file's directory, else the cwd. */
  readonly baseDirectory: string;
  readonly directoryUrl: string;
  /** Where `--dry-run` may issue: `ca.staging`, else the known staging directory of a public CA; none for others. */
  readonly stagingDirectoryUrl?: string;
  readonly caBundle?: string;
  /** PEM of the roots issued chains must end at (`ca.trustAnchors`). */
  readonly trustAnchors?: string;
  /** `ca.allowInsecureHttp`: a local test CA over plain HTTP, explicitly allowed. */
  readonly allowInsecureHttp?: boolean;
  readonly rateLimits: RateLimitRuleSet;
  /** `ca.maxNames`: the most names per certificate, when the user set it. */
  readonly maxNames?: number;
  /** `--allow-mixed-scripts` or `defaults.allowMixedScripts`. */
  readonly allowMixedScripts: boolean;
  readonly account: {
    readonly name: string;
    readonly contact: readonly string[];
    readonly keyAlgorithm?: 'ES256' | 'ES384' | 'RS256';
    readonly externalAccountBinding?: ExternalAccountBinding;
    /** `--agree-tos` or `account.agreeTos`: agree to the CA's terms when registering a new account. */
    readonly agreeTos: boolean;
  };
  readonly storeDirectory: string;
  readonly keyType: CertificateKeyType;
  readonly profile?: string;
  readonly deployHook?: readonly string[];
  readonly deployHookTimeoutMs: number;
  /** `defaults.preHook`/`postHook` (the command's `--pre-hook`/`--post-hook` win): around a sweep's orders. */
  readonly preHook?: readonly string[];
  readonly postHook?: readonly string[];
  /** `defaults.renewBefore` (ms): for every certificate without its own, stored and issued ones included. */
  readonly renewBeforeMs?: number;
  /** `defaults.concurrency`: certificates a renew run or daemon sweep works on at once (`--concurrency` wins). */
  readonly concurrency: number;
  readonly solvers: readonly SolverSpec[];
  readonly certificates: readonly CertificateSpec[];
  readonly daemon: {
    readonly listen?: ListenAddress;
    readonly maxSweepIntervalMs: number;
    /** `daemon.auth`, its token resolved. Absent: the daemon serves loopback only. */
    readonly auth?: DaemonAuth;
  };
}

/** Who may read the daemon's page, API and metrics. */
export interface DaemonAuth {
  /** A secret: never logged, never sent anywhere. */
  readonly token?: string;
  readonly proxy?: { readonly userHeader: string; readonly trustedProxies: readonly string[] };
  /** Where it is configured, for messages. */
  readonly where: string;
}
