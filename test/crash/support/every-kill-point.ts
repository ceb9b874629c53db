import { join } from 'node:path';
import type { FaultProxy } from '@certkeeper/testkit';
import { expect } from 'vitest';
import { readKillTrace, type TracedPoint } from '../../support/kill-points.js';
import type { CrashChildConfig } from './crash-child.js';
import { crashChild, explainRun, issuedAtCa, storedState } from './crash-runs.js';

export interface KillPointScenario {
  readonly proxy: FaultProxy;
  /** Where trace files go. */
  readonly base: string;
  /**
   * Runs of one lane go one after the other; lanes run side by side. Each lane's stores must use an account of their
   * own (an empty store registers one; a seeded store copies its seed's), since orders are told apart by account, and
   * names of their own, since challtestsrv holds every lane's TXT records at once.
   */
  readonly lanes: number;
  /** A fresh store directory for one run of `lane` (empty, or a copy of the lane's seed), and the child's config. */
  prepare(lane: number): Promise<CrashChildConfig & { readonly storeDirectory: string }>;
  /** Outcomes the run after the kill may report. */
  readonly outcomes: readonly string[];
}

type Counts = ReturnType<typeof issuedAtCa>;

/**
 * Trace one run's writes under its store directory (renames, unlinks, rm, symlinks), then for each of them: a
 * fresh store, a run SIGKILLed right before that write, and a run to the end. After each pair: exactly one order and
 * one certificate at the CA for the store's account, one stored certificate for the names that matches its key and
 * is counted once in the ledger, no order left. At the end, no order at the CA that no point accounts for. Returns the number of kill points.
 */
export async function everyKillPoint(scenario: KillPointScenario): Promise<number> {
  const { proxy } = scenario;
  const traced = await scenario.prepare(0);
  const trace = join(scenario.base, `trace-${Date.now()}.txt`);
  proxy.clearLog();
  const tracedRun = await crashChild(traced, { trace, match: traced.storeDirectory }).done;
  expect(tracedRun.code, explainRun(tracedRun)).toBe(0);
  expect(issuedAtCa(proxy)).toEqual({ newOrders: 1, certificates: 1 });
  const points = await readKillTrace(trace);
  expect(points.length).toBeGreaterThan(10);

  proxy.clearLog();
  const counted = new Map<string, Counts>();
  const lanes = Array.from({ length: scenario.lanes }, (_, lane) =>
    points.filter((_, index) => index % scenario.lanes === lane),
  );
  await Promise.all(
    lanes.map(async (lanePoints, lane) => {
      for (const point of lanePoints)
        await killAndResume(scenario, lane, point, {
          total: points.length,
          traced: traced.storeDirectory,
          counted,
        });
    }),
  );
  expect(issuedAtCa(proxy), 'orders no kill point accounts for').toEqual({
    newOrders: points.length,
    certificates: points.length,
  });
  return points.length;
}

/** One kill point: kill there, resume, check. `counted` holds what each account had ordered before. */
async function killAndResume(
  scenario: KillPointScenario,
  lane: number,
  point: TracedPoint,
  { total, traced, counted }: { total: number; traced: string; counted: Map<string, Counts> },
): Promise<void> {
  const config = await scenario.prepare(lane);
  const shown = point.paths.map((path) => path.replace(traced, '')).join(' ');
  const where = `killed before write ${point.n} of ${total} (${point.op} ${shown})`;
  const before = await storedState(config.storeDirectory, config.directoryUrl);
  const killed = await crashChild(config, { at: point.n, match: config.storeDirectory }).done;
  expect(killed.signal, `${where}: the run was not killed\n${explainRun(killed)}`).toBe('SIGKILL');
  const rerun = await crashChild(config).done;
  expect(rerun.code, `${where}: the run after it\n${explainRun(rerun)}`).toBe(0);
  expect(scenario.outcomes, `${where}: ${rerun.outcome?.reason}`).toContain(rerun.outcome?.type);
  const after = await storedState(config.storeDirectory, config.directoryUrl);
  expect(after, where).toMatchObject({
    count: 1,
    orders: 0,
    matches: true,
    names: [...config.names].sort(),
    counted: 1,
  });
  // A new certificate (a renewal replaced the seeded one).
  expect(after.serial, where).not.toBe(before.serial);
  // Counted by account: only this lane's runs use it, one after the other.
  const account = after.accountUrl!;
  const now = issuedAtCa(scenario.proxy, account);
  const earlier = counted.get(account) ?? { newOrders: 0, certificates: 0 };
  counted.set(account, now);
  expect(
    { newOrders: now.newOrders - earlier.newOrders, certificates: now.certificates - earlier.certificates },
    where,
  ).toEqual({ newOrders: 1, certificates: 1 });
}
