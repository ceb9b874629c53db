/** One unit of queued work: renew (or continue ordering) the certificate under `key`. */
export interface RenewalJob<P> {
  readonly id: string;
  /** The coalescing key the job was enqueued under (the certificate's key). */
  readonly key: string;
  readonly payload: P;
  /** 0 on the first run, then 1, 2, ... on the queue's own retries after a handler failed or its worker died. */
  readonly attempt: number;
}

export interface EnqueueOptions {
  /**
   * Not before this time: a DNS propagation re-check, or the time a CA's `Retry-After` names. A later enqueue
   * for the same key coalesces into this delayed job instead of running earlier, so a burst of requests
   * during a rate-limit wait collapses into the one retry at the given time.
   */
  readonly startAfter?: Date;
}

export type RenewalJobHandler<P> = (job: RenewalJob<P>) => Promise<void>;

export interface WorkOptions {
  /** Jobs this process runs at once (default 1). Jobs of one key never run at the same time anywhere. */
  readonly concurrency?: number;
}

/**
 * The queue a CertificateManager in worker mode takes renewal and step jobs from, shared by every worker on
 * every machine. Implementations MUST:
 *
 * - coalesce on `key`: while a job for a key waits (queued or delayed), enqueueing the same key again adds no
 *   job and resolves `undefined`; a job that is already running does not block one new waiting job, so a
 *   request that arrives during a run is not lost;
 * - run at most one job per key at a time across all workers;
 * - honour `startAfter`; never run a job earlier;
 * - hand a job whose worker died (kill -9, lost connection) to another worker after the queue's expiry;
 * - survive a database restart: workers reconnect and go on, and `enqueue` rejects (retryable) only while the
 *   database is unreachable.
 *
 * A handler that resolves completes its job; one that throws fails it, and the queue retries it with backoff
 * up to its limit. Handlers MUST be idempotent (the engine's steps are) and MUST "lock, then re-check": a job
 * may find the work already done by another path.
 */
export interface RenewalQueue<P = unknown> {
  /** Resolves the new job's id, or `undefined` when a waiting job for `key` already covers it. */
  enqueue(key: string, payload: P, options?: EnqueueOptions): Promise<string | undefined>;
  /** Start taking jobs in this process; resolves once the workers are registered. */
  work(handler: RenewalJobHandler<P>, options?: WorkOptions): Promise<void>;
  /** Stop taking jobs, let running handlers finish (within a grace period), release connections. */
  stop(): Promise<void>;
}

export const RenewalQueueToken = Symbol.for('certkeeper.RenewalQueue');
