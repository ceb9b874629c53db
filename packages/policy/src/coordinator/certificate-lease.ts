import {
  CertkeeperError,
  type Clock,
  ErrorCodes,
  type Identifier,
  type Logger,
  retryWithBackoff,
} from '@certkeeper/core';
import { describeLeaseHolder, type Lease, leaseHolderIsDead, type Store } from '@certkeeper/store';

/** Another process holds a certificate's lease: who, and until when (the time moves on each time it renews it). */
export interface LeaseWait {
  /** The certificate key. */
  readonly key: string;
  readonly identifiers: readonly Identifier[];
  /** The holder as a person reads it (`certkeeper renew, pid 4242 on web-1, started …`). */
  readonly holder: string;
  /** The holder's id as stored. */
  readonly holderId: string;
  /** When its lease runs out unless it renews it. */
  readonly until: Date;
  /** When this caller began to wait. */
  readonly since: Date;
  /**
   * Set when this caller has just taken the lease over instead of waiting on: `dead` — its holder no longer runs
   * (same host: pid and start time), `expired` — its lease ran out without being renewed (a holder elsewhere).
   */
  readonly takenOver?: 'dead' | 'expired';
}

export interface CertificateLeaseOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Who this process is: a `leaseHolderId(...)`, from which a store can tell whether it still runs. */
  readonly holder: string;
  /** Lifetime of the lease; it is renewed every third of it while held (default 30 s). */
  readonly ttlMs?: number;
  /** How often a waiting caller tries again (default 250 ms). */
  readonly pollMs?: number;
  /** Told whenever the holder, or its lease's end, changes while a caller waits. */
  readonly onWait?: (wait: LeaseWait) => void;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;

/**
 * A lease held on one certificate, renewed every third of its lifetime. `lost` fires when it cannot be kept — another
 * holder has it, or renewing kept failing until it would expire — so the work under it stops before another
 * process, which may take the lease over from then on, starts writing too.
 */
export class HeldLease {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private renewing = false;

  constructor(
    private lease: Lease,
    private readonly options: CertificateLeaseOptions,
  ) {
    const ttl = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.timer = setInterval(() => void this.renew(ttl), ttl / 3);
    this.timer.unref();
  }

  /** Fires, with a LEASE_LOST error as its reason, when the lease is lost. */
  get lost(): AbortSignal {
    return this.controller.signal;
  }

  get token(): number {
    return this.lease.token;
  }

  /** Stop renewing and give the lease up. Never throws: an expired lease simply passes on. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.options.store.releaseLease(this.lease).catch((error: unknown) => {
      this.options.logger.warn({ lease: this.lease.name, error: String(error) }, 'could not release a lease');
    });
  }

  private async renew(ttl: number): Promise<void> {
    if (this.renewing || this.controller.signal.aborted) return;
    this.renewing = true;
    try {
      const renewed = await this.options.store.acquireLease(this.lease.name, this.options.holder, ttl);
      if (renewed) {
        this.lease = renewed;
        return;
      }
      this.lose(`another process took over the lease on ${this.lease.name}`);
    } catch (error) {
      const left = Date.parse(this.lease.expiresAt) - this.options.clock.now().getTime();
      this.options.logger.warn(
        { lease: this.lease.name, leftMs: left, error: String(error) },
        'lease renewal failed',
      );
      // The next attempt would come too late: stop now, before the lease can pass to someone else.
      if (left < ttl / 3) this.lose(`the lease on ${this.lease.name} could not be renewed: ${String(error)}`);
    } finally {
      this.renewing = false;
    }
  }

  private lose(why: string): void {
    clearInterval(this.timer);
    this.controller.abort(
      new CertkeeperError(ErrorCodes.LEASE_LOST, `Stopped: ${why}.`, {
        hint: 'nothing to do: the new holder resumes the stored order. If it recurs, check that the store does not stall.',
      }),
    );
  }
}

/**
 * Take the lease on `name`, waiting while another process holds it: the store takes over at once a lease whose
 * holder it can prove dead (FileStore, and PostgreSQL on the same host: pid and process start time), and any lease
 * when it expires. While waiting, who holds it and until when is reported (`onWait`) and logged. `stop` is asked
 * after every failed attempt and ends the wait with its answer (a backoff that appeared, a deadline).
 */
export async function takeLease<T>(
  name: string,
  subject: { readonly key: string; readonly identifiers: readonly Identifier[] },
  options: CertificateLeaseOptions,
  stop: (holder: Lease | undefined) => Promise<T | undefined>,
  signal?: AbortSignal,
): Promise<HeldLease | T> {
  const ttl = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const pollMs = options.pollMs ?? 250;
  const since = options.clock.now();
  let seen = '';
  const waitOf = (lease: Lease): LeaseWait => ({
    key: subject.key,
    identifiers: subject.identifiers,
    holder: describeLeaseHolder(lease.holder),
    holderId: lease.holder,
    until: new Date(lease.expiresAt),
    since,
  });
  const attempt = async (): Promise<HeldLease | T> => {
    // Read first: a store takes a dead holder's lease over silently, and the person waiting for this run should
    // still learn who that was.
    const current = await options.store.getLease(name);
    const lease = await options.store.acquireLease(name, options.holder, ttl);
    if (lease) {
      await reportTakeover(current, waitOf, options);
      return new HeldLease(lease, options);
    }
    if (current && `${current.holder}|${current.expiresAt}` !== seen) {
      seen = `${current.holder}|${current.expiresAt}`;
      const wait = waitOf(current);
      options.logger.info(
        { key: subject.key, holder: wait.holder, until: current.expiresAt },
        'waiting for the lease another process holds',
      );
      options.onWait?.(wait);
    }
    const stopped = await stop(current);
    if (stopped !== undefined) return stopped;
    throw new LeaseBusy();
  };
  // A steady poll, jittered so the processes waiting for one lease do not ask in step; `stop` ends the wait.
  return retryWithBackoff(attempt, {
    attempts: Number.POSITIVE_INFINITY,
    baseDelayMs: pollMs,
    factor: 1,
    maxDelayMs: pollMs,
    shouldRetry: (error) => error instanceof LeaseBusy,
    ...(signal ? { signal } : {}),
  });
}

/**
 * The lease just acquired was another holder's a moment before: unless that holder gave it up in between (then
 * there is nothing to say), it was taken over — its holder is dead, or its lease ran out.
 */
async function reportTakeover(
  previous: Lease | undefined,
  waitOf: (lease: Lease) => LeaseWait,
  options: CertificateLeaseOptions,
): Promise<void> {
  if (!previous || previous.holder === options.holder) return;
  const takenOver = (await leaseHolderIsDead(previous.holder))
    ? 'dead'
    : Date.parse(previous.expiresAt) <= options.clock.now().getTime()
      ? 'expired'
      : undefined;
  if (!takenOver) return;
  const wait: LeaseWait = { ...waitOf(previous), takenOver };
  options.logger.warn(
    { key: wait.key, holder: wait.holder, until: previous.expiresAt, takenOver },
    'took over the lease of a holder that is gone',
  );
  options.onWait?.(wait);
}

/** Another process holds the lease: look again after a pause. */
class LeaseBusy extends Error {}
