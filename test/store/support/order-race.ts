import { createInterface } from 'node:readline';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { Store } from '@certkeeper/store';
import { orderRecord } from '@certkeeper/testkit/store-conformance';

/**
 * One process's part in a race on one order, as two workers of a job queue would run it. It prints `ready`,
 * then waits for `go <epoch ms>` on stdin (sent once every racer is ready), so every round starts at the same
 * wall-clock slot in every process (`go + round * slotMs`); each reads the order, waits for the slot, then
 * writes by compare-and-set on the revision it read. Prints one line per round:
 *
 *   won <revision> <writer>          the write was acknowledged at <revision>
 *   lost <expected> <found>          STORE_CONFLICT: another process had written <found>
 */
export async function raceOnOrder(
  store: Store,
  options: { key: string; rounds: number; slotMs: number },
  say: (line: string) => void,
): Promise<void> {
  const base = orderRecord(options.key);
  say('ready');
  const startAt = await startSignal();
  for (let round = 0; round < options.rounds; round += 1) {
    const slot = startAt + round * options.slotMs;
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

/** The time in the first `go <epoch ms>` line on stdin. */
async function startSignal(): Promise<number> {
  for await (const line of createInterface({ input: process.stdin })) {
    const [word, time] = line.split(' ');
    if (word === 'go') {
      process.stdin.pause();
      return Number(time);
    }
  }
  throw new Error('stdin closed before the start signal');
}

function sleepUntil(time: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));
}
