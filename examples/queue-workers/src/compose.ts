import { LoggerToken } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { rfc2136 } from '@certkeeper/dns-rfc2136';
import {
  CertificateManagerToken,
  createCertkeeperContainer,
  createJsonLogger,
  type RenewalJobPayload,
  RenewalWorker,
} from '@certkeeper/manager';
import { RenewalQueueToken } from '@certkeeper/store';
import { PgBossRenewalQueue, PostgresStore } from '@certkeeper/store-postgres';

export interface AppConfig {
  /** The CA: Let's Encrypt in production, a local Pebble in tests. */
  readonly directoryUrl: string;
  readonly caBundle?: string;
  readonly contact: string;
  /** PostgreSQL shared by every worker on every machine. */
  readonly databaseUrl: string;
  readonly schema?: string;
  /** The DNS primary that takes TSIG-signed updates for the zone. */
  readonly dns: {
    readonly server: string;
    readonly zone: string;
    readonly keyName: string;
    readonly keySecret: string;
  };
}

/**
 * The application's composition root: the only place that knows which parts make up its certkeeper. Everything is
 * registered under its token in a child container; swap any part by registering another implementation before the
 * manager is resolved (here the JSON logger replaces the silent default).
 */
export async function composeApp(config: AppConfig) {
  const store = await PostgresStore.open({
    connectionString: config.databaseUrl,
    ...(config.schema ? { schema: config.schema } : {}),
  });
  const queue = await PgBossRenewalQueue.start<RenewalJobPayload>({
    connectionString: config.databaseUrl,
    ...(config.schema ? { schema: `${config.schema}_jobs` } : {}),
  });
  const dns01 = new Dns01Solver({
    provider: rfc2136({
      server: config.dns.server,
      tsig: { name: config.dns.keyName, secret: config.dns.keySecret },
    }),
    discovery: {
      zones: [config.dns.zone],
      fixedServers: [config.dns.server],
      resolvers: [config.dns.server],
    },
  });
  const container = createCertkeeperContainer({
    directoryUrl: config.directoryUrl,
    ...(config.caBundle ? { caBundle: config.caBundle } : {}),
    account: { contact: [`mailto:${config.contact}`] },
    store,
    solvers: [dns01],
  });
  container.register(LoggerToken, { useValue: createJsonLogger({ level: 'warn' }) });
  container.register(RenewalQueueToken, { useValue: queue });
  const manager = container.resolve(CertificateManagerToken);
  const worker = new RenewalWorker(manager, queue);
  return {
    manager,
    worker,
    async close() {
      await worker.stop();
      await manager.close();
      await store.close();
    },
  };
}
