// Managers of one CA, account and store that differ only in their solvers (the CLI composes one per solver set: a
// certificate made with `issue --http-webroot` beside configured ones) share one account session when composed with
// the same AccountRegistry: certificates of both in flight at once cost one directory read, one newAccount and one
// newNonce — one client, one nonce pool, one connection. Without it, each manager opens its own.
import { silentLogger, systemClock } from '@certkeeper/core';
import { AccountRegistry, type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import { MemoryStore } from '@certkeeper/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ProxiedPebble, startProxiedPebble } from '../support/proxied-pebble.js';

let ca: ProxiedPebble;
const managers: CertificateManager[] = [];

beforeAll(async () => {
  ca = await startProxiedPebble();
});
beforeEach(() => ca.proxy.clearLog());
afterAll(async () => {
  for (const manager of managers) await manager.close();
  await ca?.stop();
});

/** Two managers on one store whose solver lists differ; with `shared`, composed with one AccountRegistry. */
function twoManagers(shared: boolean): [CertificateManager, CertificateManager] {
  const store = new MemoryStore();
  const options = {
    directoryUrl: ca.proxy.directoryUrl,
    caBundle: ca.proxy.caBundlePem,
    account: { contact: ['mailto:ops@example.test'] },
    store,
  };
  const accounts = shared ? new AccountRegistry(options, store, systemClock, silentLogger) : undefined;
  const compose = (solvers: (typeof ca.http01)[]) =>
    createCertificateManager({ ...options, solvers, metrics: false, ...(accounts ? { accounts } : {}) });
  const pair: [CertificateManager, CertificateManager] = [
    compose([ca.http01]),
    compose([ca.http01, ca.http01]),
  ];
  managers.push(...pair);
  return pair;
}

const count = (kind: Parameters<typeof ca.proxy.count>[0], method: string) => ca.proxy.count(kind, method);

describe('managers sharing one account session', () => {
  it('two solver sets, two certificates at once: one directory, one newAccount, one newNonce', async () => {
    const [first, second] = twoManagers(true);
    const outcomes = await Promise.all([
      first.ensure({ identifiers: ['one.shared.test'] }),
      second.ensure({ identifiers: ['two.shared.test'] }),
    ]);
    expect(outcomes.map((outcome) => outcome.type)).toEqual(['issued', 'issued']);
    expect(count('directory', 'GET')).toBe(1);
    expect(count('newAccount', 'POST')).toBe(1);
    expect(count('newNonce', 'HEAD')).toBe(1);
    expect(count('newOrder', 'POST')).toBe(2);
  });

  it('without it, each manager opens its own session (the account itself is still registered once)', async () => {
    const [first, second] = twoManagers(false);
    await first.ensure({ identifiers: ['three.shared.test'] });
    await second.ensure({ identifiers: ['four.shared.test'] });
    expect(count('newAccount', 'POST')).toBe(1);
    expect(count('directory', 'GET')).toBe(2);
    expect(count('newNonce', 'HEAD')).toBe(2);
  });
});
