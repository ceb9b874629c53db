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
  /**
   * PEM roots the issued certificates must chain to (e.g. ISRG Root X1 and X2 for Let's Encrypt). Every issued chain
   * is verified before it is stored — key, names, validity, links — and, with anchors, that it ends at one of them.
   */
  readonly trustAnchors?: string | readonly string[];
  /** Accept `http://` from the CA: only for a local test CA (RFC 8555 §6.1 requires HTTPS). Default false. */
  readonly allowInsecureHttp?: boolean;
  /** Total time one request to the CA may take, connect + headers + body (default 60 s). */
  readonly requestDeadlineMs?: number;
  /** The longest a CA's Retry-After is obeyed; longer ones are clamped with a warning (default 7 days). */
  readonly maxRetryAfterMs?: number;
  readonly account?: {
    /** Name of the account in the store, for several accounts at one CA (default "default"). */
    readonly name?: string;
    readonly contact?: readonly string[];
    /** Algorithm of a newly generated account key (default ES256). */
    readonly keyAlgorithm?: AccountKeyAlgorithm;
    readonly externalAccountBinding?: ExternalAccountBinding;
    /**
     * Asked before a NEW account is registered, with the CA's terms-of-service URL (directory
     * `meta.termsOfService`, undefined when the CA has none); throw to refuse, and nothing is stored or sent.
     * Default: the terms are agreed to. An account already stored is never affected.
     */
    readonly agreeToTerms?: (termsOfService: string | undefined) => Promise<void> | void;
  };
  /** Default key type of new certificates (default ec256). */
  readonly keyType?: CertificateKeyType;
  /** The CA's limits for the local ledger (default: by directory URL, see `rateLimitsFor`). */
  readonly rateLimits?: RateLimitRuleSet;
  readonly backoff?: BackoffOptions;
  /**
   * How to poll. Without it the first polls are learnt per CA from recent orders' timing (core's `firstPolls`);
   * with `initialDelayMs` set, that fixed first wait is used instead.
   */
  readonly polling?: Partial<PollPolicy>;
  /**
   * Who this process is to the store's leases, and to people waiting for them: `description` (the CLI passes
   * "certkeeper renew") and `host` (default the machine's host name) go into a `leaseHolderId`, with the pid and
   * process start time from which the store proves a dead holder dead and takes its lease over at once.
   */
  readonly leaseHolder?: { readonly description?: string; readonly host?: string };
  /**
   * Lifetime of the store lease held while a certificate is being issued; renewed every third (default 30 s). A
   * holder that died on another host is taken over after this long.
   */
  readonly leaseTtlMs?: number;
  /** Longest sleep of `run()` between sweeps, so new managed certificates and ARI refreshes are noticed (default 1 h). */
  readonly maxSweepIntervalMs?: number;
}
