import { ErrorCodes } from '@certkeeper/core';
import { createDnsDiscovery, PropagationChecker, type PropagationResult } from '@certkeeper/dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindServers, startBindServers } from './support/bind-servers.js';

let bind: BindServers;
const checkerFor = (options: ConstructorParameters<typeof PropagationChecker>[1] = {}) =>
  new PropagationChecker(createDnsDiscovery({ resolvers: [bind.addresses.primary.v4] }), options);

beforeAll(async () => {
  bind = await startBindServers();
});
afterAll(async () => {
  await bind?.stop();
});

describe('propagation checks against a BIND primary and secondary', () => {
  it('says not-ready, naming the secondary, until it has transferred the record', async () => {
    // lag.test is served with NOTIFY off and a one-hour refresh: the secondary keeps the old zone until the
    // test runs `rndc refresh`.
    const fqdn = '_acme-challenge.www.lag.test';
    await bind.nsupdate(['zone lag.test', `update add ${fqdn}. 60 TXT "lagging-value"`]);
    const checker = checkerFor({ initialIntervalMs: 1000 });
    const startedAt = new Date();
    const expectation = { fqdn, zone: 'lag.test', values: ['lagging-value'] };

    const before = await checker.check([expectation], { startedAt });
    expect(before.status).toBe('pending');
    if (before.status !== 'pending') return;
    const byServer = Object.fromEntries(before.servers.map((status) => [status.address, status]));
    const { primary, secondary } = bind.addresses;
    expect(byServer[`${primary.v4}:53`]).toMatchObject({
      nameserver: 'ns1.prop.test',
      rcode: 'NOERROR',
      ready: true,
    });
    expect(byServer[`[${primary.v6}]:53`]).toMatchObject({
      nameserver: 'ns1.prop.test',
      rcode: 'NOERROR',
      ready: true,
    });
    expect(before.lagging.map((status) => [status.nameserver, status.rcode, status.values])).toEqual([
      ['ns2.prop.test', 'NXDOMAIN', []],
      ['ns2.prop.test', 'NXDOMAIN', []],
    ]);
    expect(before.detail).toMatch(
      new RegExp(
        `ns2\\.prop\\.test ${secondary.v4}:53 has 0 of \\d expected values? at \\S+ \\(answered NXDOMAIN\\)`,
      ),
    );
    expect(before.detail).toContain(`ns2.prop.test [${secondary.v6}]:53 has 0 of`);
    expect(before.checkAgainAt.getTime()).toBe(startedAt.getTime() + 1000);

    // Still lagging a moment later: nothing but the test lets the secondary catch up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await checker.check([expectation], { startedAt })).status).toBe('pending');

    await bind.rndc('secondary', 'refresh', 'lag.test');
    const after = await pollUntilReady(checker, [expectation], startedAt, 10_000);
    expect(after.status).toBe('ready');
    expect(after.servers.every((status) => status.values.includes('lagging-value'))).toBe(true);
  });

  it('fails after the deadline, naming the lagging secondary and what it returned', async () => {
    const fqdn = '_acme-challenge.late.lag.test';
    await bind.nsupdate(['zone lag.test', `update add ${fqdn}. 60 TXT "never-transferred"`]);
    const result = await checkerFor({ timeoutMs: 1000 }).check(
      [{ fqdn, zone: 'lag.test', values: ['never-transferred'] }],
      {
        startedAt: new Date(Date.now() - 2000),
      },
    );
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error.code).toBe(ErrorCodes.DNS_PROPAGATION_TIMEOUT);
    expect(result.error.message).toContain(`ns2.prop.test ${bind.addresses.secondary.v4}:53 has 0 of`);
    expect(result.error.message).toContain('(answered NXDOMAIN)');
    expect(result.error.message).toContain('returned []');
    expect(result.error.message).not.toContain('ns1.prop.test');
    await bind.rndc('secondary', 'refresh', 'lag.test');
  });

  it('derives the deadline from the SOA when asked (refresh + retry of the zone)', async () => {
    const fqdn = '_acme-challenge.soa.lag.test';
    await bind.nsupdate(['zone lag.test', `update add ${fqdn}. 60 TXT "soa-derived"`]);
    const checker = checkerFor({ timeoutMs: 1000, deriveTimeoutFromSoa: true });
    // Ten seconds in, a 1 s deadline would have failed; refresh 3600 + retry 600 keeps the wait open.
    const result = await checker.check([{ fqdn, zone: 'lag.test', values: ['soa-derived'] }], {
      startedAt: new Date(Date.now() - 10_000),
    });
    expect(result.status).toBe('pending');
    await bind.rndc('secondary', 'refresh', 'lag.test');
  });

  it('falls back to TCP when the UDP answer is truncated, and still sees every value', async () => {
    const fqdn = '_acme-challenge.many.prop.test';
    const values = Array.from({ length: 30 }, (_, index) => `value-${index}-${'x'.repeat(30)}`);
    await bind.nsupdate([
      'zone prop.test',
      ...values.map((value) => `update add ${fqdn}. 60 TXT "${value}"`),
    ]);
    const checker = new PropagationChecker(
      createDnsDiscovery({ resolvers: [bind.addresses.primary.v4], transportOptions: { ednsUdpSize: 0 } }),
    );
    const result = await pollUntilReady(checker, [{ fqdn, zone: 'prop.test', values }], new Date(), 10_000);
    expect(result.status).toBe('ready');
    expect(result.servers.map((status) => status.transport)).toEqual(['tcp', 'tcp', 'tcp', 'tcp']);
    expect(result.servers.every((status) => status.values.length === 30)).toBe(true);
  });
});

async function pollUntilReady(
  checker: PropagationChecker,
  expectations: Parameters<PropagationChecker['check']>[0],
  startedAt: Date,
  limitMs: number,
): Promise<PropagationResult> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const result = await checker.check(expectations, { startedAt });
    if (result.status !== 'pending' || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
