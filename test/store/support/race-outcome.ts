import assert from 'node:assert/strict';
import type { OrderRecord } from '@certkeeper/store';
import type { Child } from './child-process.js';

/**
 * Checks the lines of every process in a race against the order stored after it: each revision was won by
 * exactly one write, the revisions won are 1..n without a gap (no acknowledged write was lost or overwritten),
 * the stored order is the last winner's, and every loser was told a newer revision than it had read.
 */
function checkRace(
  linesOfEachProcess: readonly (readonly string[])[],
  stored: OrderRecord | undefined,
): { wins: number; losses: number } {
  const winners = new Map<number, string>();
  let losses = 0;
  for (const line of linesOfEachProcess.flat()) {
    const [outcome, first, second] = line.split(' ');
    if (outcome === 'won') {
      const revision = Number(first);
      assert.equal(winners.get(revision), undefined, `revision ${revision} was won twice`);
      winners.set(revision, second!);
    } else if (outcome === 'lost') {
      losses += 1;
      assert.ok(Number(second) > Number(first), `a loser expected ${first} and was told ${second}`);
    }
  }
  const revisions = [...winners.keys()].sort((a, b) => a - b);
  assert.deepEqual(
    revisions,
    Array.from({ length: revisions.length }, (_, i) => i + 1),
    'revisions won',
  );
  assert.equal(stored?.revision, revisions.length, 'the stored revision is not the last one won');
  assert.equal(stored?.state.id, winners.get(revisions.length), 'the stored order is not the last winner');
  return { wins: revisions.length, losses };
}

/**
 * Starts every racing process (`raceOnOrder`, `rounds` rounds each) together once all are ready, waits for them
 * to exit cleanly, then checks the race against the order stored after it, and that the processes really raced
 * (most rounds had a loser).
 */
export async function expectRaceOutcome(
  children: readonly Child[],
  readStored: () => Promise<OrderRecord | undefined>,
  rounds: number,
): Promise<void> {
  await Promise.all(children.map((child) => child.waitFor((line) => line === 'ready', 60_000)));
  const startAt = Date.now() + 200;
  for (const child of children) child.send(`go ${startAt}`);
  const exits = await Promise.all(children.map((child) => child.exited));
  for (const [i, exit] of exits.entries()) assert.equal(exit.code, 0, children[i]!.stderr());
  const { wins, losses } = checkRace(
    children.map((child) => child.lines),
    await readStored(),
  );
  assert.equal(wins + losses, rounds * children.length, 'a round ended without an outcome');
  // Every process reads the same revision before each slot: most rounds have losers.
  assert.ok(
    losses > rounds / 2,
    `only ${losses} writes of ${wins + losses} lost: the processes did not race`,
  );
}
