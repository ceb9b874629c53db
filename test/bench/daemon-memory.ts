import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { certificateKey } from '@certkeeper/policy';
import { FileStore } from '@certkeeper/store';
import {
  caConfig,
  ensureCliBuilt,
  freePort,
  removeWorkdirs,
  startTestCa,
  workdir,
} from '../cli/support/cli-harness.js';
import { startDaemon } from '../cli/support/daemon-process.js';

type Emit = (bench: string, figures: Record<string, unknown>) => void;

/** Resident and peak resident memory of a process, MB, from /proc (Linux). */
async function memoryOf(pid: number): Promise<{ rssMb: number; peakRssMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

/**
 * Issue 13's memory figure: the `certkeeper run` daemon (the built CLI, a FileStore) with `count` certificates
 * stored, through its first sweep and one status page build (`/api/status`). One certificate is issued from Pebble
 * by a first run; the others are copies of it under other names (same CA and account, fresh), so the sweep finds
 * them all stored and asks the CA for nothing.
 */
export async function benchDaemonMemory(emit: Emit, count = 1000, nodeOptions?: string): Promise<void> {
  const env = nodeOptions ? { NODE_OPTIONS: nodeOptions } : {};
  await ensureCliBuilt();
  const dir = await workdir('daemon-memory');
  const ca = await startTestCa(dir);
  try {
    const port = await freePort();
    const config = join(dir, 'daemon.yaml');
    await writeFile(
      config,
      caConfig(
        ca,
        './data',
        `certificates:\n  - names: [memory-0.bench.test]\ndaemon:\n  listen: 127.0.0.1:${port}\n`,
      ),
    );
    const first = startDaemon(['--config', config], { cwd: dir, env });
    await first.waitFor(/sweep: 1 certificate, 1 issued; next sweep at/, 60_000);
    const single = await memoryOf(first.child.pid!);
    first.child.kill('SIGTERM');
    await first.exited;

    const store = await FileStore.open({ directory: join(dir, 'data') });
    try {
      const [issued] = await store.listCertificates({ limit: 1 });
      if (!issued) throw new Error('the first run stored no certificate');
      const keyOf = (identifiers: typeof issued.identifiers) =>
        certificateKey({
          directoryUrl: issued.directoryUrl,
          accountUrl: issued.accountUrl,
          identifiers,
          ...(issued.profile ? { profile: issued.profile } : {}),
        });
      if (keyOf(issued.identifiers) !== issued.key)
        throw new Error(`the bench computes another key than the CLI stored: ${issued.key}`);
      for (let i = 1; i < count; i += 1) {
        const identifiers = [{ type: 'dns' as const, value: `memory-${i}.bench.test` }];
        await store.putCertificate({ ...issued, key: keyOf(identifiers), identifiers });
      }
    } finally {
      await store.close();
    }

    const daemon = startDaemon(['--config', config], { cwd: dir, env });
    const started = performance.now();
    await daemon.waitFor(new RegExp(`sweep: ${count} certificates`), 300_000);
    const sweepMs = Math.round(performance.now() - started);
    const afterSweep = await memoryOf(daemon.child.pid!);
    const response = await fetch(`http://127.0.0.1:${port}/api/status`);
    const status = (await response.json()) as { certificates?: unknown[] };
    const afterStatus = await memoryOf(daemon.child.pid!);
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    emit('daemon-memory', {
      certificates: count,
      ...(nodeOptions ? { nodeOptions } : {}),
      listedByStatus: status.certificates?.length ?? null,
      firstSweepMs: sweepMs,
      oneCertificate: single,
      afterSweep,
      afterStatus,
    });
  } finally {
    await ca.close();
    await removeWorkdirs();
  }
}
