export { createPool } from './create-pool.js';
export { type Migration, migrations } from './migrations.js';
export { PgBossRenewalQueue, type PgBossRenewalQueueOptions } from './pg-boss-renewal-queue.js';
export { isTransient, type RetryPolicy } from './pg-errors.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
