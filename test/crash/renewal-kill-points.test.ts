import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashCa, startCrashCa } from './support/crash-ca.js';
import { crashChild, explainRun, storeDirectory } from './support/crash-runs.js';
import { everyKillPoint } from './support/every-kill-point.js';

/**
 * A forced renewal of a stored certificate, by a real process SIGKILLed right before each write it makes under its
 * store directory (each run on a copy of a seeded store), then run again: the run after the kill forces the renewal
 * only while the seeded certificate is still the stored one, as a person re-running `renew --force` after a crash
 * would until it took. One order, one new certificate at the CA for every kill point. Three lanes of points run side
 * by side, each on copies of its own seeded store (its own account and names).
 */
describe('kill -9 at every store write of a renewal', () => {
  let ca: CrashCa;
  beforeAll(async () => {
    ca = await startCrashCa('kill-renew');
  });
  afterAll(async () => {
    await ca?.stop();
  });

  it('one order and one new stored certificate matching its key, whatever write the process died at', async () => {
    const lanes = 3;
    const names = (lane: number) => [`lane${lane}.renew.example.test`, `www.lane${lane}.renew.example.test`];
    const seeds = await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        const directory = await storeDirectory(ca.base);
        const seeded = await crashChild(ca.config(names(lane), { storeDirectory: directory })).done;
        expect(seeded.outcome?.type, explainRun(seeded)).toBe('issued');
        return { directory, serial: seeded.outcome!.serial! };
      }),
    );
    const count = await everyKillPoint({
      proxy: ca.proxy,
      base: ca.base,
      lanes,
      prepare: async (lane) => {
        const seed = seeds[lane]!;
        const directory = await storeDirectory(ca.base, seed.directory);
        const extra = { storeDirectory: directory, forceUnlessSerial: seed.serial };
        return { ...ca.config(names(lane), extra), storeDirectory: directory };
      },
      outcomes: ['renewed', 'issued', 'fresh'],
    });
    console.log(`renewal: ${count} kill points`);
  }, 1_800_000);
});
