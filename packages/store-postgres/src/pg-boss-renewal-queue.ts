import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { EnqueueOptions, RenewalJobHandler, RenewalQueue, WorkOptions } from '@certkeeper/store';
import type pg from 'pg';
import { PgBoss } from 'pg-boss';
import { createPool } from './create-pool.js';
import {
  dropLegacySchemaWhenEmpty,
  forgetLegacyJob,
  legacyJobs,
  setAsideLegacySchema,
} from './pg-boss-legacy-schema.js';
import { databaseError, retryTransient } from './pg-errors.js';
import { quoteSchema } from './schema-name.js';

export interface PgBossRenewalQueueOptions {
  /** A pool to share with the store (left open on stop), or ... */
  readonly pool?: pg.Pool;
  /** ... a connection string for a pool the queue owns. */
  readonly connectionString?: string;
  /** pg-boss's schema, created and migrated by pg-boss on start. Default `certkeeper_jobs`. */
  readonly schema?: string;
  /** Queue name. Default `certkeeper-renewal`. */
  readonly queue?: string;
  /** Retries after a handler throws or its worker dies. Default 3. */
  readonly retryLimit?: number;
  /**
   * Seconds before the first retry, doubling each time with jitter (pg-boss retryBackoff). Default 5: a retry
   * follows a crash or an unexpected exception; the CA's and the policy's own delays are delayed jobs instead.
   */
  readonly retryDelaySeconds?: number;
  /** A running job not finished by then is failed and retried elsewhere, its worker alive or not. Default 900. */
  readonly expireInSeconds?: number;
  /**
   * Workers touch their running jobs every half of this; a job untouched for this long belongs to a dead worker
   * (kill -9, lost machine) and is failed over to retry. pg-boss's minimum and the default: 10.
   */
  readonly heartbeatSeconds?: number;
  /** How often a queue is checked for jobs whose heartbeat stopped or that expired. Default 5. */
  readonly monitorIntervalSeconds?: number;
  /** How often an idle worker looks for due jobs (pg-boss minimum 0.5). Default 2. */
  readonly pollingIntervalSeconds?: number;
  /** Errors pg-boss reports in the background (a fetch during a restart); it keeps going after them. */
  readonly onError?: (error: Error) => void;
}

interface JobData<P> {
  readonly key: string;
  readonly payload: P;
}

/**
 * {@link RenewalQueue} on pg-boss 12, the PostgreSQL job queue. The queue uses pg-boss's `stately` policy with
 * the certificate key as singleton key, whose unique index allows one waiting and one running job per key:
 * that index, not certkeeper code, coalesces enqueues from every worker on every machine. `startAfter` is
 * pg-boss's delayed start. Workers send heartbeats, so a dead worker's job returns to the queue within
 * `heartbeatSeconds` + `monitorIntervalSeconds` instead of after `expireInSeconds`.
 */
export class PgBossRenewalQueue<P = unknown> implements RenewalQueue<P> {
  private constructor(
    private readonly boss: PgBoss,
    private readonly name: string,
    private readonly pool: pg.Pool | undefined,
    private readonly pollingIntervalSeconds: number,
  ) {}

  static async start<P = unknown>(options: PgBossRenewalQueueOptions): Promise<PgBossRenewalQueue<P>> {
    const schema = options.schema ?? 'certkeeper_jobs';
    quoteSchema(schema);
    const name = options.queue ?? 'certkeeper-renewal';
    const onError = options.onError ?? (() => {});
    const ownPool = options.pool
      ? undefined
      : options.connectionString
        ? createPool(options.connectionString, onError)
        : undefined;
    const pool = options.pool ?? ownPool;
    if (!pool) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        'Renewal queue: neither pool nor connectionString given.',
        {
          hint: 'pass connectionString (postgres://user@host:5432/db) or a pg Pool.',
        },
      );
    }
    const monitorIntervalSeconds = options.monitorIntervalSeconds ?? 5;
    const boss = new PgBoss({
      // Our pool, not one of pg-boss's own: one place for connection settings and for restart recovery.
      db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) },
      schema,
      // Cron scheduling is not used; its clock monitor would only add queries.
      schedule: false,
      // Supervision finds jobs whose heartbeat stopped; it runs no more often than the monitor pass it drives.
      superviseIntervalSeconds: monitorIntervalSeconds,
      monitorIntervalSeconds,
      // The queue's backlog as workers see it (burst mode below), refreshed as often as the monitor counts it.
      queueCacheIntervalSeconds: Math.max(1, monitorIntervalSeconds),
    });
    // pg-boss emits 'error' for background failures (maintenance, fetch during a restart) and carries on;
    // an EventEmitter 'error' without a listener would crash the process instead.
    boss.on('error', onError);
    const settings = {
      retryLimit: options.retryLimit ?? 3,
      retryDelay: options.retryDelaySeconds ?? 5,
      retryBackoff: true,
      expireInSeconds: options.expireInSeconds ?? 900,
      heartbeatSeconds: options.heartbeatSeconds ?? 10,
    };
    try {
      const legacy = await retryTransient(() => setAsideLegacySchema(pool, schema));
      // A restart during start-up is retried like any transient failure; pg-boss's own migration is transactional.
      await retryTransient(() => boss.start());
      // Two processes creating one queue at the same moment can deadlock (40P01); the loser is rolled back and
      // retrying finds the queue there. updateQueue applies changed settings to a queue created earlier.
      await retryTransient(() => boss.createQueue(name, { policy: 'stately', ...settings }));
      await retryTransient(() => boss.updateQueue(name, settings));
      if (legacy) await carryOverLegacyJobs(boss, pool, legacy, name);
    } catch (error) {
      await boss.stop({ graceful: false }).catch(() => {});
      await ownPool?.end().catch(() => {});
      throw queueError(`starting queue "${name}" in schema ${schema}`, error);
    }
    return new PgBossRenewalQueue<P>(boss, name, ownPool, options.pollingIntervalSeconds ?? 2);
  }

  async enqueue(key: string, payload: P, options: EnqueueOptions = {}): Promise<string | undefined> {
    const data: JobData<P> = { key, payload };
    const send = () =>
      this.boss.send(this.name, data as object, {
        singletonKey: key,
        ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      });
    try {
      // pg-boss does not retry a send cut by a restart; the insert is keyed, so repeating it is harmless.
      return (await retryTransient(send)) ?? undefined;
    } catch (error) {
      throw queueError(`enqueueing "${key}" on queue "${this.name}"`, error);
    }
  }

  async work(handler: RenewalJobHandler<P>, options: WorkOptions = {}): Promise<void> {
    await this.boss.work<JobData<P>>(
      this.name,
      {
        batchSize: 1,
        includeMetadata: true,
        localConcurrency: Math.max(1, options.concurrency ?? 1),
        pollingIntervalSeconds: this.pollingIntervalSeconds,
        // With a backlog, fetch the next job as soon as one ends: without this pg-boss waits out the polling
        // interval after every job, which capped a worker slot at two certificates a second. A fetch that finds
        // nothing ends the burst, so an idle queue is still polled only every pollingIntervalSeconds.
        burstWhenReadyExceeds: 1,
      },
      async ([job]) => {
        if (!job) return;
        await handler({
          id: job.id,
          key: job.data.key,
          payload: job.data.payload,
          attempt: job.retryCount,
        });
      },
    );
  }

  /** Stops fetching, waits up to 30 s for running handlers, then fails what is left so it is retried elsewhere. */
  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 30_000 });
    await this.pool?.end();
  }
}

/**
 * Send the waiting jobs of a pg-boss 10 schema again, keeping key and start time, and forget each once sent. A
 * crash between the two sends it twice, which the singleton key coalesces; jobs of other queues wait for theirs.
 */
async function carryOverLegacyJobs(boss: PgBoss, pool: pg.Pool, legacy: string, name: string): Promise<void> {
  for (const job of await retryTransient(() => legacyJobs(pool, legacy, name))) {
    await retryTransient(() =>
      boss.send(name, job.data, {
        ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}),
        startAfter: job.startAfter,
      }),
    );
    await retryTransient(() => forgetLegacyJob(pool, legacy, job.id));
  }
  await retryTransient(() => dropLegacySchemaWhenEmpty(pool, legacy));
}

function queueError(operation: string, cause: unknown): CertkeeperError {
  if (CertkeeperError.isInstance(cause)) return cause;
  return databaseError(operation, cause, ErrorCodes.QUEUE_FAILED);
}
