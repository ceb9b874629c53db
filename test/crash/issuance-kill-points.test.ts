import { afterAll, beforeAll, describe, it } from 'vitest';
import { type CrashCa, startCrashCa } from './support/crash-ca.js';
import { storeDirectory } from './support/crash-runs.js';
import { everyKillPoint } from './support/every-kill-point.js';

/**
 * A real process (a CertificateManager on a FileStore, one ensure() on an empty store: account registration, then
 * the order) SIGKILLed right before each rename, unlink, rm and symlink it makes under its store directory, then run
 * again to completion: one order, one certificate at the CA for every kill point. Three lanes of points run side by
 * side, each with its own names, and each store with its own account.
 */
describe('kill -9 at every store write of an issuance', () => {
  let ca: CrashCa;
  beforeAll(async () => {
    ca = await startCrashCa('kill-issue');
  });
  afterAll(async () => {
    await ca?.stop();
  });

  it('one order and one stored certificate matching its key, whatever write the process died at', async () => {
    const count = await everyKillPoint({
      proxy: ca.proxy,
      base: ca.base,
      lanes: 3,
      prepare: async (lane) => {
        const directory = await storeDirectory(ca.base);
        const names = [`lane${lane}.issue.example.test`, `www.lane${lane}.issue.example.test`];
        return { ...ca.config(names, { storeDirectory: directory }), storeDirectory: directory };
      },
      outcomes: ['issued', 'fresh'],
    });
    console.log(`issuance: ${count} kill points`);
  }, 1_800_000);
});
