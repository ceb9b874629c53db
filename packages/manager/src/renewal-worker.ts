import { CertkeeperError, ErrorCodes, type Logger, parseIdentifiers, silentLogger } from '@certkeeper/core';
import type { RenewalJob, RenewalQueue } from '@certkeeper/store';
import type { CertificateManager, EnsureRequest } from './certificate-manager.js';

export interface RenewalJobPayload {
  readonly request: EnsureRequest;
}

export interface RenewalWorkerOptions {
  /** Waits longer than this are handed back to the queue as a delayed job instead of held in the worker (default 2 s). */
  readonly suspendWaitsLongerThanMs?: number;
  /** Jobs this process runs at once (default 4). */
  readonly concurrency?: number;
  readonly logger?: Logger;
}

/**
 * The queue key of a request: the same identifier set and profile always coalesce into one job, whichever worker,
 * producer or machine enqueued it.
 */
export function renewalJobKey(request: EnsureRequest): string {
  const names = parseIdentifiers(request.identifiers)
    .map((identifier) => `${identifier.type}:${identifier.value}`)
    .sort();
  return `${names.join(',')}|${request.profile ?? ''}`;
}

/**
 * Worker mode: takes renewal jobs from a shared queue (PostgreSQL and pg-boss, for many workers on many machines).
 * A job runs `manager.ensure` until the order finishes or meets a long wait; a wait — DNS propagation, a CA's
 * Retry-After, a backoff — becomes a delayed job for the same key, so no worker sleeps in it, and every request
 * that arrives meanwhile coalesces into that one job.
 */
export class RenewalWorker {
  private readonly logger: Logger;

  constructor(
    private readonly manager: CertificateManager,
    private readonly queue: RenewalQueue<RenewalJobPayload>,
    private readonly options: RenewalWorkerOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Ask for a certificate to be kept fresh; coalesces with any waiting job for the same set. */
  submit(request: EnsureRequest, startAfter?: Date): Promise<string | undefined> {
    return this.queue.enqueue(renewalJobKey(request), { request }, startAfter ? { startAfter } : {});
  }

  start(): Promise<void> {
    return this.queue.work((job) => this.handle(job), { concurrency: this.options.concurrency ?? 4 });
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  private async handle(job: RenewalJob<RenewalJobPayload>): Promise<void> {
    const { request } = job.payload;
    try {
      const outcome = await this.manager.ensure(request, {
        suspendWaitsLongerThanMs: this.options.suspendWaitsLongerThanMs ?? 2000,
      });
      if (outcome.type === 'deferred') await this.later(job, outcome.until, outcome.reason);
      if (outcome.type === 'failed') await this.later(job, outcome.retryAt, outcome.reason);
    } catch (error) {
      if (CertkeeperError.isInstance(error) && error.code === ErrorCodes.SUSPENDED && error.retryAfter) {
        await this.later(job, error.retryAfter, error.message);
        return;
      }
      throw error; // the queue retries it, on this worker or another
    }
  }

  private async later(job: RenewalJob<RenewalJobPayload>, startAfter: Date, reason: string): Promise<void> {
    this.logger.info({ key: job.key, startAfter: startAfter.toISOString() }, `continuing later: ${reason}`);
    await this.queue.enqueue(job.key, job.payload, { startAfter });
  }
}
