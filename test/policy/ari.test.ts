import { AriService } from '@certkeeper/policy';
import { MemoryStore } from '@certkeeper/store';
import { faults, type ProxiedRequest } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PolicyFixture, startPolicyFixture } from './policy-fixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * ARI (RFC 9773) through the fault proxy: what Pebble cannot do. The proxy serves a window that follows the test's
 * fake clock (Pebble's follows the wall clock), and answers alreadyReplaced on demand; newOrder payloads are
 * recorded to see what the CA received. ARI against Pebble's own implementation: test/manager/manager-ari.test.ts.
 */
describe('ARI renewals', () => {
  let f: PolicyFixture;
  let window = { start: new Date(), end: new Date() };
  const renewalInfoRequests: string[] = [];
  const newOrderPayloads: Record<string, unknown>[] = [];
  let refuseReplaces = 0;

  beforeAll(async () => {
    f = await startPolicyFixture({
      setupProxy: (proxy) => {
        proxy.addRule({
          kind: 'directory',
          action: faults.respond(async (_request, context) => {
            const upstream = await context.forward();
            return {
              status: 200,
              body: { ...upstream.json<object>(), renewalInfo: `${context.proxyUrl}/renewal-info` },
            };
          }),
        });
        proxy.addRule({
          path: '/renewal-info/',
          action: faults.respond((request: ProxiedRequest) => {
            renewalInfoRequests.push(request.path);
            return {
              status: 200,
              headers: { 'retry-after': '21600', 'content-type': 'application/json' },
              body: {
                suggestedWindow: { start: window.start.toISOString(), end: window.end.toISOString() },
                explanationURL: 'https://ca.example.test/why',
              },
            };
          }),
        });
        proxy.addRule({
          kind: 'newOrder',
          action: faults.respond(async (request, context) => {
            const payload = JSON.parse(request.jws?.payload ?? '{}') as Record<string, unknown>;
            newOrderPayloads.push(payload);
            if (payload.replaces && refuseReplaces > 0) {
              refuseReplaces--;
              return {
                status: 409,
                headers: {
                  'content-type': 'application/problem+json',
                  'replay-nonce': await context.freshNonce(),
                },
                body: {
                  type: 'urn:ietf:params:acme:error:alreadyReplaced',
                  detail: 'certificate already has a replacement order',
                  status: 409,
                },
              };
            }
            const upstream = await context.forward();
            return {
              status: upstream.status,
              headers: upstream.headers as Record<string, string>,
              body: upstream.body,
            };
          }),
        });
      },
    });
  });
  afterAll(() => f?.stop());

  it('renews inside the window with replaces, honours Retry-After, is exempt from the duplicate limit, and survives alreadyReplaced', async () => {
    const store = new MemoryStore();
    const coordinator = f.coordinator(store);
    const ari = new AriService({ client: f.client, store, clock: f.clock, random: () => 0.5 });
    const request = f.request(['ari.policy.example.test']);

    // Five issuances of the exact set: the duplicate-certificate budget is spent.
    for (let i = 0; i < 5; i++) {
      expect((await coordinator.ensure({ ...request, force: i > 0 }, f.issue)).type).toBe(
        i === 0 ? 'issued' : 'renewed',
      );
      f.clock.advance(HOUR);
    }
    expect(await coordinator.ensure({ ...request, force: true }, f.issue)).toMatchObject({
      type: 'deferred',
      limit: 'certificatesPerExactSet',
    });
    expect(newOrderPayloads.every((p) => p.replaces === undefined)).toBe(true);

    // The CA suggests renewing in 1–3 days; the chosen moment is the middle (random 0.5).
    const now = f.clock.now().getTime();
    window = { start: new Date(now + DAY), end: new Date(now + 3 * DAY) };
    const stored = (await store.listCertificates())[0]!;
    const refreshed = await ari.refresh(stored);
    expect(renewalInfoRequests).toEqual([`/renewal-info/${stored.ariCertId}`]);
    expect(refreshed.renewalInfo).toMatchObject({
      chosenAt: new Date(now + 2 * DAY).toISOString(),
      refreshAt: new Date(now + 6 * HOUR).toISOString(),
    });

    // Retry-After (6 h) is honoured: no request before it, one after.
    await ari.refresh(refreshed);
    f.clock.advance(5 * HOUR);
    await ari.refresh((await store.getCertificate(stored.key))!);
    expect(renewalInfoRequests).toHaveLength(1);
    f.clock.advance(HOUR + 1000);
    const again = await ari.refresh((await store.getCertificate(stored.key))!);
    expect(renewalInfoRequests).toHaveLength(2);
    expect(again.renewalInfo?.chosenAt).toBe(refreshed.renewalInfo?.chosenAt); // same window, same moment

    // Before the chosen moment: fresh, no request to the CA.
    f.proxy.clearLog();
    const early = await coordinator.ensure(request, f.issue);
    expect(early.type).toBe('fresh');
    expect(f.proxy.log).toHaveLength(0);

    // Forced before the window opens: it would carry replaces, but Let's Encrypt exempts only renewals inside the
    // window, so the spent duplicate limit still applies and nothing is sent.
    const forcedEarly = await coordinator.ensure({ ...request, force: true }, f.issue);
    expect(forcedEarly).toMatchObject({ type: 'deferred', limit: 'certificatesPerExactSet' });
    expect(f.proxy.count('newOrder')).toBe(0);

    // Inside the window: renewed with replaces, although the duplicate limit is spent (ARI renewals are exempt).
    f.clock.set(new Date(now + 2 * DAY + 60_000));
    const renewed = await coordinator.ensure(request, f.issue);
    expect(renewed).toMatchObject({ type: 'renewed', replaced: stored.ariCertId, due: 'renewal-time' });
    expect(newOrderPayloads.at(-1)?.replaces).toBe(stored.ariCertId);

    // The CA refuses replaces (409 alreadyReplaced): the renewal still completes, without it, and says why.
    const current = await ari.refresh((await store.getCertificate(stored.key))!, true);
    f.clock.set(new Date(Date.parse(current.renewalInfo!.windowEnd) + 60_000));
    refuseReplaces = 1;
    const ordersBefore = newOrderPayloads.length;
    const recovered = await coordinator.ensure(request, f.issue, undefined);
    expect(recovered.type).toBe('renewed');
    expect(recovered.type === 'renewed' && recovered.replacesRefused).toContain('alreadyReplaced');
    expect(recovered.reason).toContain('the CA refused replaces');
    expect(newOrderPayloads.slice(ordersBefore).map((p) => p.replaces)).toEqual([
      current.ariCertId,
      undefined,
    ]);
  });
});
