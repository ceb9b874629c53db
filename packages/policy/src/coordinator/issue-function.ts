import type { CertificateKeyType } from '@certkeeper/core';
import type { CertificateRequest } from '../certificate-request.js';

/** What the coordinator asks the issuer (the manager, or an application) to do: run one order to the end. */
export interface IssueContext {
  readonly request: CertificateRequest;
  /** The coalescing key: also the key to store an in-flight order under, to resume it after a crash. */
  readonly key: string;
  /** RFC 9773: the ARI id of the certificate this order replaces; pass it as the order's `replaces`. */
  readonly replaces?: string;
  readonly signal?: AbortSignal;
  /**
   * Call when a newOrder is actually sent (not when a stored order is resumed): the ledger counts new orders,
   * and resuming one costs nothing at the CA.
   */
  readonly onOrderCreated: () => Promise<void>;
}

export interface IssuedMaterial {
  readonly certificatePem: string;
  readonly keyPem: string;
  readonly keyType: CertificateKeyType;
}

/** Runs one order; throws the engine's typed errors (RateLimitedError, OrderFailedError...) on failure. */
export type IssueFunction = (context: IssueContext) => Promise<IssuedMaterial>;
