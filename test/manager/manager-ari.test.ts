import type { StandaloneHttp01Solver } from '@certkeeper/http01';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import { MemoryStore } from '@certkeeper/store';
import { type FaultProxy, faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProxiedPebble, startProxiedPebble } from '../support/proxied-pebble.js';

/** A managed certificate follows its ARI window in `renewDue` (Pebble has no ARI: the proxy serves windows). */
describe('renewDue and ARI for managed certificates', () => {
  let ca: ProxiedPebble;
  let proxy: FaultProxy;
  let http01: StandaloneHttp01Solver;
  let manager: CertificateManager;
  const store = new MemoryStore();
  let window = { start: new Date(Date.now() + 30 * 86_400_000), end: new Date(Date.now() + 31 * 86_400_000) };
  const renewalInfoRequests: string[] = [];
  const replacesSent: unknown[] = [];

  beforeAll(async () => {
    ca = await startProxiedPebble();
    ({ proxy, http01 } = ca);
    proxy.addRule({
      kind: 'directory',
      action: faults.respond(async (_request, context) => ({
        status: 200,
        body: {
          ...(await context.forward()).json<object>(),
          renewalInfo: `${context.proxyUrl}/renewal-info`,
        },
      })),
    });
    proxy.addRule({
      path: '/renewal-info/',
      action: faults.respond((request) => {
        renewalInfoRequests.push(request.path);
        return {
          status: 200,
          headers: { 'retry-after': '21600' },
          body: { suggestedWindow: { start: window.start.toISOString(), end: window.end.toISOString() } },
        };
      }),
    });
    proxy.addRule({
      kind: 'newOrder',
      action: faults.respond(async (request, context) => {
        replacesSent.push((JSON.parse(request.jws?.payload ?? '{}') as { replaces?: unknown }).replaces);
        const upstream = await context.forward();
        return {
          status: upstream.status,
          headers: upstream.headers as Record<string, string>,
          body: upstream.body,
        };
      }),
    });
    manager = createCertificateManager({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      store,
      solvers: [http01],
      metrics: false,
    });
  });
  afterAll(async () => {
    await manager?.close();
    await ca?.stop();
  });

  it('issues, stays fresh while the window is ahead, and renews with replaces once the CA moves the window', async () => {
    manager.manage([{ identifiers: ['managed-ari.example.test'] }]);
    expect((await manager.renewDue()).outcomes.map((o) => o.type)).toEqual(['issued']);
    // The next sweep fetches the window (a month ahead): fresh, nothing ordered.
    expect((await manager.renewDue()).outcomes.map((o) => o.type)).toEqual(['fresh']);
    expect(renewalInfoRequests).toHaveLength(1);
    // The CA pulls the window into the past (a revocation event, say): renew now. The stored window is refreshed
    // only after its Retry-After, so a forced refresh stands in for six hours passing.
    window = { start: new Date(Date.now() - 2 * 86_400_000), end: new Date(Date.now() - 86_400_000) };
    const stored = (await store.listCertificates())[0]!;
    await store.putCertificate({
      ...stored,
      renewalInfo: { ...stored.renewalInfo!, refreshAt: new Date(0).toISOString() },
    });
    const sweep = await manager.renewDue();
    expect(sweep.outcomes.map((o) => o.type)).toEqual(['renewed']);
    expect(renewalInfoRequests).toHaveLength(2);
    expect(replacesSent).toEqual([undefined, stored.ariCertId]);
  });
});
