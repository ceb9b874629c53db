/**
 * One certkeeper run for the crash tests, configured by CERTKEEPER_CRASH_CHILD (JSON): a CertificateManager on a
 * FileStore (or PostgreSQL) against Pebble behind the fault proxy, dns-01 through pebble-challtestsrv, and one
 * ensure() for one set — what `certkeeper renew` does for one certificate. Prints each progress event and the
 * outcome as JSON lines, and exits 0 once ensure() returned (whatever it answered).
 *
 * `forceUnlessSerial`: a forced renewal while the stored certificate is still the one with that serial; once it was
 * replaced, a plain ensure — so re-running after a crash finishes the one renewal instead of ordering another.
 */
import { createCertificateManager } from '@certkeeper/manager';
import { FileStore, type Store } from '@certkeeper/store';
import { challtestsrvDns01 } from '../../support/challtestsrv-dns01.js';

export interface CrashChildConfig {
  readonly directoryUrl: string;
  readonly caBundle: string;
  readonly challtestsrvUrl: string;
  readonly dnsServer: string;
  readonly names: readonly string[];
  readonly storeDirectory?: string;
  readonly postgres?: { readonly connectionString: string; readonly schema: string };
  readonly forceUnlessSerial?: string;
  readonly leaseHolder?: { readonly description?: string; readonly host?: string };
}

const config = JSON.parse(process.env.CERTKEEPER_CRASH_CHILD ?? '{}') as CrashChildConfig;
const print = (event: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ pid: process.pid, at: Date.now(), ...event })}\n`);

async function main(): Promise<void> {
  // PostgreSQL's driver is loaded only when asked for: most runs are FileStore runs, and start-up is per run.
  const store: Store = config.postgres
    ? await (await import('@certkeeper/store-postgres')).PostgresStore.open(config.postgres)
    : await FileStore.open({ directory: config.storeDirectory! });
  const manager = createCertificateManager({
    directoryUrl: config.directoryUrl,
    caBundle: config.caBundle,
    account: { contact: ['mailto:crash@example.test'] },
    store,
    solvers: [challtestsrvDns01(config.challtestsrvUrl, config.dnsServer)],
    leaseHolder: config.leaseHolder ?? { description: 'crash child' },
    polling: { initialDelayMs: 200 },
    metrics: false,
  });
  manager.events.on('progress', (progress) =>
    print({
      event: 'progress',
      phase: progress.phase,
      next: progress.next,
      ...(progress.holder ? { holder: progress.holder, until: progress.until?.toISOString() } : {}),
    }),
  );
  const stored = (await store.listCertificates({ limit: 10 }))[0];
  const force =
    config.forceUnlessSerial !== undefined && stored?.serialNumberHex === config.forceUnlessSerial;
  const outcome = await manager.ensure({ identifiers: config.names, ...(force ? { force: true } : {}) });
  print({
    event: 'outcome',
    type: outcome.type,
    reason: outcome.reason,
    ...('certificate' in outcome ? { serial: outcome.certificate.serialNumberHex } : {}),
  });
  await manager.close();
  await store.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    print({ event: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
