// The manager's order runner calls `ChallengeSolver.prepare` under the certificate's lease, after the freshness
// re-check, right before an order: only the run that orders prepares (two managers on one store, one order), the
// resources are released when the order ends, and a prepare that fails leaves nothing ordered. Against Pebble.
import type { ChallengeSolver, SolverContext } from '@certkeeper/core';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import { MemoryStore } from '@certkeeper/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ProxiedPebble, startProxiedPebble } from '../support/proxied-pebble.js';

let ca: ProxiedPebble;
const managers: CertificateManager[] = [];

beforeAll(async () => {
  ca = await startProxiedPebble();
});
afterEach(() => ca.proxy.clearLog());
afterAll(async () => {
  await Promise.all(managers.map((m) => m.close()));
  await ca?.stop();
});

/** The Pebble fixture's responder, with `prepare` recorded (and made to fail on demand). */
function recording(fail?: Error) {
  const log: string[] = [];
  const { http01 } = ca;
  const solver: ChallengeSolver = {
    type: 'http-01',
    volatile: true,
    supports: (identifier, wildcard) => http01.supports(identifier, wildcard),
    publish: (tasks, context) => {
      log.push('publish');
      return http01.publish(tasks, context);
    },
    cleanup: (receipts, context) => http01.cleanup(receipts, context),
    prepare: async (context: SolverContext) => {
      log.push('prepare');
      if (fail) throw fail;
      const release = await http01.prepare(context);
      return async () => {
        log.push('release');
        await release();
      };
    },
  };
  return { solver, log };
}

function manager(store: MemoryStore, solver: ChallengeSolver): CertificateManager {
  const created = createCertificateManager({
    directoryUrl: ca.proxy.directoryUrl,
    caBundle: ca.proxy.caBundlePem,
    account: { contact: ['mailto:ops@example.test'] },
    store,
    solvers: [solver],
  });
  managers.push(created);
  return created;
}

describe('ChallengeSolver.prepare in the manager', () => {
  it('two managers on one store, one name: one prepares, orders and releases; the other joins and prepares nothing', async () => {
    const store = new MemoryStore();
    const [a, b] = [recording(), recording()];
    const outcomes = await Promise.all([
      manager(store, a.solver).ensure({ identifiers: ['prepare.example.test'] }),
      manager(store, b.solver).ensure({ identifiers: ['prepare.example.test'] }),
    ]);
    expect(outcomes.map((o) => o.type).sort()).toEqual(['fresh', 'issued']);
    expect(ca.proxy.count('newOrder')).toBe(1);
    const logs = [a.log, b.log].sort((x, y) => y.length - x.length);
    // Prepared once, before the first publish (a volatile solver is published again before answering), released last.
    expect(logs[1]).toEqual([]);
    expect(logs[0]![0]).toBe('prepare');
    expect(logs[0]!.at(-1)).toBe('release');
    expect(logs[0]!.filter((entry) => entry === 'prepare')).toHaveLength(1);
    expect(logs[0]).toContain('publish');
  });

  it('a prepare that fails: the outcome is that failure, and nothing was ordered', async () => {
    const busy = Object.assign(new Error('port 80 is held by another program'), {
      code: 'CERTKEEPER_ERR_LISTEN_FAILED',
    });
    const { solver, log } = recording(busy);
    const outcome = await manager(new MemoryStore(), solver).ensure({ identifiers: ['busy.example.test'] });
    expect(outcome).toMatchObject({ type: 'failed' });
    expect(outcome.type === 'failed' && outcome.error).toBe(busy);
    expect(log).toEqual(['prepare']);
    expect(ca.proxy.count('newOrder')).toBe(0);
  });
});
