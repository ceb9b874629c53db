import { type FaultProxy, faults } from '@certkeeper/testkit';
import { waitUntil } from '../../manager/support/worker-handle.js';
import type { CrashChildConfig } from './crash-child.js';
import { type ChildEvent, crashChild, explainRun, issuedAtCa } from './crash-runs.js';

export interface TakeoverResult {
  /** What the waiting run reported about the holder (its progress event of phase `lease`). */
  readonly reported: ChildEvent;
  /** The killed holder's pid. */
  readonly holderPid: number;
  /** From the SIGKILL to the waiting run's first step after taking the lease over. */
  readonly takeoverMs: number;
  readonly outcome: ChildEvent | undefined;
  readonly atCa: { newOrders: number; certificates: number };
  readonly explain: string;
}

/**
 * Holder A starts an issuance and stalls in answer-challenges (the proxy holds its challenge POST) with the
 * certificate's lease; B starts for the same certificate and waits, saying who holds it; A is SIGKILLed; B takes
 * the lease over, resumes A's order and finishes. `a` and `b` are the two children's configs (a store each sees
 * the same way; their lease holders may stand for two hosts).
 */
export async function leaseTakeover(
  proxy: FaultProxy,
  a: CrashChildConfig,
  b: CrashChildConfig,
): Promise<TakeoverResult> {
  proxy.clearLog();
  const stall = proxy.addRule({ kind: 'challenge', method: 'POST', times: 1, action: faults.delay(300_000) });
  const holder = crashChild(a);
  try {
    await holder.child.waitFor((line) => line.includes('"phase":"answer-challenges"'), 60_000);
    await waitUntil(async () => stall.fired > 0, 'the holder to answer its challenges');
    const waiter = crashChild(b);
    await waiter.child.waitFor((line) => line.includes('"phase":"lease"'), 30_000);
    const killedAt = Date.now();
    holder.child.process.kill('SIGKILL');
    await holder.done;
    const run = await waiter.done;
    const reported = run.events.find((event) => event.phase === 'lease')!;
    const after = run.events.find((event) => event.event === 'progress' && event.phase !== 'lease');
    return {
      reported,
      holderPid: holder.child.process.pid!,
      takeoverMs: (after?.at ?? Number.POSITIVE_INFINITY) - killedAt,
      outcome: run.outcome,
      atCa: issuedAtCa(proxy),
      explain: explainRun(run),
    };
  } finally {
    stall.remove();
    holder.child.process.kill('SIGKILL');
  }
}
