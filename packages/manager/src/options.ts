import type {
  AccountKeyAlgorithm,
  CertificateKeyType,
  ExternalAccountBinding,
  PollPolicy,
} from '@certkeeper/core';
import type { BackoffOptions, RateLimitRuleSet } from '@certkeeper/policy';

/** The CA and account a manager works with. */
export interface ManagerOptions {
  readonly directoryUrl: string;
  /** PEM CA certificates to trust for the CA's own HTTPS (a private CA, Pebble). */
  readonly caBundle?: string | readonly string[];
  readonly account?: {
    /** Name of the account in the store, for several accounts at one CA (default "default"). */
    readonly name?: string;
    readonly contact?: readonly string[];
    /** Algorithm of a newly generated account key (default ES256). */
    readonly keyAlgorithm?: AccountKeyAlgorithm;
    readonly externalAccountBinding?: ExternalAccountBinding;
  };
  /** Default key type of new certificates (default ec256). */
  readonly keyType?: CertificateKeyType;
  /** The CA's limits for the local ledger (default: by directory URL, see `rateLimitsFor`). */
  readonly rateLimits?: RateLimitRuleSet;
  readonly backoff?: BackoffOptions;
  readonly polling?: Partial<PollPolicy>;
  /** Lifetime of the store lease held while a certificate is being issued; renewed every third (default 5 min). */
  readonly leaseTtlMs?: number;
  /** Longest sleep of `run()` between sweeps, so new managed certificates and ARI refreshes are noticed (default 1 h). */
  readonly maxSweepIntervalMs?: number;
}
