import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FaultProxy, type PebbleHandle, startFaultProxy, startPebble } from '@certkeeper/testkit';
import type { CrashChildConfig } from './crash-child.js';

/** What the crash suites run against: Pebble behind the fault proxy, and a scratch directory for stores and traces. */
export interface CrashCa {
  readonly pebble: PebbleHandle;
  readonly proxy: FaultProxy;
  readonly base: string;
  /** A crash child's config for this CA (dns-01 through its challtestsrv) and these names. */
  config(names: readonly string[], extra?: Partial<CrashChildConfig>): CrashChildConfig;
  stop(): Promise<void>;
}

/**
 * Starts a {@link CrashCa}. Pebble reuses no authorization (`PEBBLE_AUTHZREUSE=0`), so every run for a set makes
 * the same requests and the same store writes, in the same order — what kill points by number rely on.
 */
export async function startCrashCa(label: string): Promise<CrashCa> {
  const pebble = await startPebble({ env: { PEBBLE_AUTHZREUSE: '0' } });
  const proxy = await startFaultProxy({ target: pebble.directoryUrl, caBundlePem: pebble.caBundlePem });
  const base = await mkdtemp(join(tmpdir(), `certkeeper-${label}-`));
  return {
    pebble,
    proxy,
    base,
    config: (names, extra = {}) => ({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      challtestsrvUrl: pebble.challtestsrv.url,
      dnsServer: `127.0.0.1:${pebble.dnsPort}`,
      names,
      ...extra,
    }),
    async stop() {
      await proxy.close();
      await pebble.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
}
