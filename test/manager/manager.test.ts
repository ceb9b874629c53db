import type { StandaloneHttp01Solver } from '@certkeeper/http01';
import { type CertificateManager, CertkeeperMetrics, createCertificateManager } from '@certkeeper/manager';
import { letsEncryptRateLimits } from '@certkeeper/policy';
import { MemoryStore } from '@certkeeper/store';
import { type FaultProxy, faults } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ProxiedPebble, startProxiedPebble } from '../support/proxied-pebble.js';

describe('CertificateManager composed through the container, against Pebble', () => {
  let ca: ProxiedPebble;
  let proxy: FaultProxy;
  let http01: StandaloneHttp01Solver;
  const managers: CertificateManager[] = [];
  const compose = (store: MemoryStore, metrics = new CertkeeperMetrics()) => {
    const manager = createCertificateManager({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      account: { contact: ['mailto:ops@example.test'] },
      store,
      solvers: [http01],
      metrics,
      // Pebble has no limits (the default for a non-Let's-Encrypt URL is none); configured, the ledger counts.
      rateLimits: letsEncryptRateLimits,
    });
    managers.push(manager);
    return { manager, metrics };
  };

  beforeAll(async () => {
    ca = await startProxiedPebble();
    ({ proxy, http01 } = ca);
  });
  afterEach(() => {
    proxy.clearRules();
    proxy.clearLog();
  });
  afterAll(async () => {
    await Promise.all(managers.map((m) => m.close()));
    await ca?.stop();
  });

  it('issues, then answers fresh without a request, renews when forced, with events and metrics', async () => {
    const store = new MemoryStore();
    const { manager, metrics } = compose(store);
    const events: string[] = [];
    const phases: string[] = [];
    manager.events.on('progress', (progress) => phases.push(progress.phase));
    manager.events.on('issued', () => events.push('issued'));
    manager.events.on('renewed', () => events.push('renewed'));
    const first = await manager.ensure({ identifiers: ['mgr.example.test', 'www.mgr.example.test'] });
    expect(first.type).toBe('issued');
    expect(proxy.count('newAccount', 'POST')).toBe(1);
    expect(phases).toEqual(
      expect.arrayContaining(['fetch-authorizations', 'await-validation', 'finalize', 'download', 'done']),
    );
    proxy.clearLog();
    const again = await manager.ensure({ identifiers: ['www.mgr.example.test', 'MGR.example.test'] });
    expect(again.type).toBe('fresh');
    expect(proxy.log).toHaveLength(0);
    const forced = await manager.ensure({
      identifiers: ['mgr.example.test', 'www.mgr.example.test'],
      force: true,
    });
    expect(forced.type).toBe('renewed');
    expect(events).toEqual(['issued', 'renewed']);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/certkeeper_ensure_outcomes_total\{outcome="fresh"\} 1/);
    expect(text).toMatch(/certkeeper_orders_total\{result="created"\} 2/);
    expect(text).toMatch(
      /certkeeper_certificate_expiry_seconds\{certificate="mgr.example.test,www.mgr.example.test"\} \d+/,
    );
    // Two certificates of the exact set spent two of its five tokens (the third is refilling).
    expect(text).toMatch(
      /certkeeper_rate_limit_remaining\{rule="certificatesPerExactSet",bucket="identifier set dns:mgr\.example\.test,dns:www\.mgr\.example\.test"\} 3/,
    );
    const sweep = await manager.renewDue();
    expect(sweep.outcomes.map((o) => o.type)).toEqual(['fresh']);
  });

  it('keeps the account in the store: a second manager on the same store registers nothing', async () => {
    const store = new MemoryStore();
    await compose(store).manager.ensure({ identifiers: ['acct-a.example.test'] });
    proxy.clearLog();
    await compose(store).manager.ensure({ identifiers: ['acct-b.example.test'] });
    expect(proxy.count('newAccount', 'POST')).toBe(0);
    expect(proxy.count('newOrder', 'POST')).toBe(1);
  });

  it('resumes an aborted order from the store in a new manager: same order, no second newOrder', async () => {
    const store = new MemoryStore();
    const first = compose(store);
    const controller = new AbortController();
    proxy.addRule({
      kind: 'challenge',
      method: 'POST',
      action: faults.respond(async (_request, context) => {
        controller.abort();
        const upstream = await context.forward();
        return {
          status: upstream.status,
          headers: upstream.headers as Record<string, string>,
          body: upstream.body,
        };
      }),
    });
    await expect(
      first.manager.ensure({ identifiers: ['resume.example.test'] }, { signal: controller.signal }),
    ).rejects.toThrow();
    const stored = (await store.listCertificates()).length;
    expect(stored).toBe(0);
    proxy.clearRules();
    const second = compose(store);
    const outcome = await second.manager.ensure({ identifiers: ['resume.example.test'] });
    expect(outcome.type).toBe('issued');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
    expect(await second.metrics.registry.metrics()).toMatch(/certkeeper_orders_total\{result="resumed"\} 1/);
  });
});
