import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { Store } from '@certkeeper/store';
import { orderRecord } from '@certkeeper/testkit/store-conformance';

/**
 * One process's part in a race on one order, as two workers of a job queue would run it: every round starts
 * at the same wall-clock slot in every process (`startAt + round * slotMs`); each reads the order, waits for
 * the slot, then writes by compare-and-set on the revision it read. Prints one line per round:
 *
 *   won <revision> <writer>          the write was acknowledged at <revision>
 *   lost <expected> <found>          STORE_CONFLICT: another process had written <found>
 */
export async function raceOnOrder(
  store: Store,
  options: { key: string; startAt: number; rounds: number; slotMs: number },
  say: (line: string) => void,
): Promise<void> {
  const base = orderRecord(options.key);
  for (let round = 0; round < options.rounds; round += 1) {
    const slot = options.startAt + round * options.slotMs;
    await sleepUntil(slot - options.slotMs / 2);
    const expected = (await store.getOrder(options.key))?.revision ?? 0;
    await sleepUntil(slot);
    const writer = `${process.pid}-${round}`;
    try {
      const written = await store.putOrder({ ...base, state: { ...base.state, id: writer } }, expected);
      say(`won ${written.revision} ${writer}`);
    } catch (error) {
      if (!CertkeeperError.isInstance(error) || error.code !== ErrorCodes.STORE_CONFLICT) throw error;
      say(`lost ${expected} ${(error as unknown as { foundRevision: number }).foundRevision}`);
    }
  }
}

function sleepUntil(time: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));
}
