import type { CertificateKeyType, FirstPollDelays, PollObservations } from '@certkeeper/core';
import type { CertificateRequest } from '../certificate-request.js';

/** What the coordinator asks the issuer (the manager, or an application) to do: run one order to the end. */
export interface IssueContext {
  readonly request: CertificateRequest;
  /** The coalescing key: also the key to store an in-flight order under, to resume it after a crash. */
  readonly key: string;
  /** RFC 9773: the ARI id of the certificate this order replaces; pass it as the order's `replaces`. */
  readonly replaces?: string;
  /**
   * Fires when the caller cancels, or when the coordinator loses the certificate's lease (another process took it
   * over): stop at once and write nothing more.
   */
  readonly signal?: AbortSignal;
  /**
   * Call when a newOrder is actually sent (not when a stored order is resumed): the ledger counts new orders,
   * and resuming one costs nothing at the CA.
   */
  readonly onOrderCreated: () => Promise<void>;
  /** The first polls learnt from recent orders at this CA: pass them as the engine's `firstPolls`. */
  readonly firstPolls?: FirstPollDelays;
}

export interface IssuedMaterial {
  readonly certificatePem: string;
  /** Absent for an order made with the caller's own CSR: the key never was certkeeper's. */
  readonly keyPem?: string;
  readonly keyType: CertificateKeyType;
  /**
   * The finished order, left stored under the key, that holds this certificate and key: its revision and creation
   * time. The coordinator removes it once the certificate is stored. Never remove it yourself first: killed between
   * the two, the issued certificate would be lost and the next run would order again.
   */
  readonly order?: { readonly revision: number; readonly createdAt: string };
  /** How long the CA took, as the order's polls saw it (its state's `pollTiming`): counted with the certificate. */
  readonly pollTiming?: PollObservations;
}

/**
 * Runs one order; throws the engine's typed errors (RateLimitedError, OrderFailedError...) on failure. Called while
 * the coordinator holds the certificate's lease, after it checked that no finished order is waiting to be stored.
 */
export type IssueFunction = (context: IssueContext) => Promise<IssuedMaterial>;
