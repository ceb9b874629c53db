import { cp, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { certificateMatchesKey, importCertificateKey, parseCertificate } from '@certkeeper/core';
import { FileStore } from '@certkeeper/store';
import type { FaultProxy } from '@certkeeper/testkit';
import { startChild } from '../../store/support/child-process.js';
import { type KillPointOptions, killPointEnv } from '../../support/kill-points.js';
import type { CrashChildConfig } from './crash-child.js';

export interface ChildEvent {
  readonly pid: number;
  /** Date.now() in the child when it printed the line. */
  readonly at: number;
  readonly event: 'progress' | 'outcome' | 'error';
  readonly phase?: string;
  readonly next?: string;
  readonly holder?: string;
  readonly until?: string;
  readonly type?: string;
  readonly reason?: string;
  readonly serial?: string;
  readonly message?: string;
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly events: readonly ChildEvent[];
  readonly stderr: string;
  /** The outcome line, when ensure() returned. */
  readonly outcome: ChildEvent | undefined;
}

/** A crash-child.ts process, optionally under the kill-points preload; its JSON lines once it exited. */
export function crashChild(config: CrashChildConfig, kill?: KillPointOptions) {
  const child = startChild('../../crash/support/crash-child.ts', [], {
    CERTKEEPER_CRASH_CHILD: JSON.stringify(config),
    ...(kill ? killPointEnv(kill) : {}),
  });
  const events = () =>
    child.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as ChildEvent);
  const done: Promise<ChildRun> = child.exited.then(({ code, signal }) => {
    const all = events();
    return {
      code,
      signal,
      events: all,
      stderr: child.stderr(),
      outcome: all.find((e) => e.event === 'outcome'),
    };
  });
  return { child, events, done };
}

/** A failure message: how the child ended, what it printed. */
export const explainRun = (run: ChildRun): string =>
  `exit ${run.code ?? run.signal}\n${run.events.map((e) => JSON.stringify(e)).join('\n')}\n${run.stderr.slice(-3000)}`;

/** A fresh store directory under `base`, optionally a copy of a seeded one (symlinks kept as they are). */
export async function storeDirectory(base: string, seed?: string): Promise<string> {
  const directory = await mkdtemp(join(base, 'store-'));
  if (seed) await cp(seed, directory, { recursive: true, verbatimSymlinks: true });
  return directory;
}

/**
 * What the CA did, counted at the proxy: orders placed and certificates issued (successful finalizes) — by the
 * account `kid` when given (runs of one account in turn), else by everyone since the log was cleared.
 */
export function issuedAtCa(proxy: FaultProxy, kid?: string): { newOrders: number; certificates: number } {
  const mine = proxy.log.filter((entry) => kid === undefined || entry.jws?.kid === kid);
  return {
    newOrders: mine.filter((entry) => entry.kind === 'newOrder' && entry.method === 'POST').length,
    certificates: mine.filter((entry) => entry.kind === 'finalize' && entry.status === 200).length,
  };
}

export interface StoredState {
  readonly count: number;
  readonly serial: string;
  readonly names: readonly string[];
  /** The certificate is for the stored key. */
  readonly matches: boolean;
  /** Orders left under its key (0 once committed). */
  readonly orders: number;
  /** The account the store uses (its URL as the proxy saw it: a JWS `kid`). */
  readonly accountUrl: string | undefined;
  /** Ledger `certificate` events naming the stored certificate's serial. */
  readonly counted: number;
}

/** What a FileStore holds after the runs: its certificates and the first one's details, and its account. */
export async function storedState(directory: string, directoryUrl: string): Promise<StoredState> {
  const store = await FileStore.open({ directory });
  try {
    const accountUrl = (await store.getAccount(directoryUrl, 'default'))?.accountUrl;
    const certificates = await store.listCertificates({ limit: 100 });
    const record = certificates[0];
    if (!record)
      return { serial: '', orders: 0, matches: false, names: [], count: 0, accountUrl, counted: 0 };
    const parsed = parseCertificate(record.certificatePem);
    const order = await store.getOrder(record.key);
    const ledger = await store.queryLedger({
      directoryUrl,
      since: new Date(0).toISOString(),
      kinds: ['certificate'],
    });
    return {
      accountUrl,
      counted: ledger.filter((event) => event.detail === `serial ${record.serialNumberHex}`).length,
      serial: record.serialNumberHex,
      orders: order ? 1 : 0,
      matches: certificateMatchesKey(parsed, importCertificateKey(record.keyPem!)),
      names: [...parsed.names].sort(),
      count: certificates.length,
    };
  } finally {
    await store.close();
  }
}
