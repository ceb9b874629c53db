// Issue 10: backoff is for the CA's answers only; what can be known before ordering is refused before ordering.
import { faultOf, PreflightError } from '@certkeeper/core';
import { ChalltestsrvDnsProvider, Dns01Solver } from '@certkeeper/dns';
import { StandaloneHttp01Solver } from '@certkeeper/http01';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import { type EnsureOutcome, setBackoffKey } from '@certkeeper/policy';
import { MemoryStore, type Store } from '@certkeeper/store';
import { type FaultProxy, faults } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PebbleFixture, proxyFixture, startPebbleFixture } from '../engine/pebble-fixture.js';
import { rejectionOf } from '../support/rejection.js';

describe('failures against Pebble: only the CA’s answers are backed off; preflight refusals send nothing', () => {
  let fixture: PebbleFixture;
  let proxy: FaultProxy;
  let dns01: Dns01Solver;
  /** An http-01 responder on a port Pebble never connects to: every validation through it fails at the CA. */
  let misplacedHttp01: StandaloneHttp01Solver;
  const managers: CertificateManager[] = [];
  const compose = (
    store: Store,
    options: {
      solvers?: (StandaloneHttp01Solver | Dns01Solver)[];
      caBundle?: string | false;
      contact?: string[];
    } = {},
  ) => {
    const manager = createCertificateManager({
      directoryUrl: proxy.directoryUrl,
      ...(options.caBundle === false ? {} : { caBundle: options.caBundle ?? proxy.caBundlePem }),
      account: { contact: options.contact ?? ['mailto:ops@example.test'] },
      store,
      solvers: options.solvers ?? [fixture.http01],
      metrics: false,
      polling: { maxDelayMs: 250, timeoutMs: 20_000 },
    });
    managers.push(manager);
    return manager;
  };
  const requestKey = (accountUrl: string, names: string[]) =>
    setBackoffKey({
      directoryUrl: proxy.directoryUrl,
      accountUrl,
      identifiers: names.map((value) => ({ type: 'dns' as const, value })),
    });
  const accountUrlOf = async (store: Store) =>
    (await store.getAccount(proxy.directoryUrl, 'default'))?.accountUrl ?? '';
  const failed = (outcome: EnsureOutcome) => {
    if (outcome.type !== 'failed')
      throw new Error(`expected a failure, got ${outcome.type}: ${outcome.reason}`);
    return outcome;
  };

  beforeAll(async () => {
    fixture = await startPebbleFixture();
    ({ proxy } = await proxyFixture(fixture));
    misplacedHttp01 = new StandaloneHttp01Solver({ host: '127.0.0.1', port: 0 });
    await misplacedHttp01.start();
    const { pebble } = fixture;
    const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
    dns01 = new Dns01Solver({
      provider: new ChalltestsrvDnsProvider({
        managementUrl: pebble.challtestsrv.url,
        dnsServer,
        zones: ['example.test'],
      }),
      discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
    });
  });
  afterEach(() => {
    proxy.clearRules();
    proxy.clearLog();
  });
  afterAll(async () => {
    await Promise.all(managers.map((m) => m.close()));
    await misplacedHttp01?.stop();
    await proxy?.close();
    await fixture?.stop();
  });

  it('(a) an untrusted CA certificate fails as local with no backoff; the right bundle then issues at once', async () => {
    const store = new MemoryStore();
    // No account yet: registration meets the untrusted certificate, before the coordinator.
    const thrown = await rejectionOf(
      compose(store, { caBundle: false }).ensure({ identifiers: ['trust.example.test'] }),
    );
    expect(faultOf(thrown)).toBe('local');
    expect(String(thrown)).toContain("The CA's TLS certificate is not trusted");
    // An account and a certificate stored; a forced renewal without the bundle fails inside the order.
    expect((await compose(store).ensure({ identifiers: ['trust.example.test'] })).type).toBe('issued');
    const accountUrl = await accountUrlOf(store);
    const untrusted = failed(
      await compose(store, { caBundle: false }).ensure({ identifiers: ['trust.example.test'], force: true }),
    );
    expect(untrusted.fault).toBe('local');
    expect(untrusted.failures).toBe(0);
    expect(untrusted.reason).toContain('no backoff recorded');
    expect(await store.getBackoff(requestKey(accountUrl, ['trust.example.test']))).toBeUndefined();
    proxy.clearLog();
    const started = Date.now();
    const fixed = await compose(store).ensure({ identifiers: ['trust.example.test'], force: true });
    expect(fixed.type).toBe('renewed');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('(b) --force after a CA failure backoff orders; after a 429 with Retry-After it does not', async () => {
    const store = new MemoryStore();
    const manager = compose(store);
    proxy.addRule({
      kind: 'newOrder',
      times: 1,
      action: faults.problem(400, 'rejectedIdentifier', 'not today (injected by the fault proxy)'),
    });
    const refused = failed(await manager.ensure({ identifiers: ['force.example.test'] }));
    expect(refused).toMatchObject({ fault: 'ca', failures: 1 });
    const accountUrl = await accountUrlOf(store);
    expect(await store.getBackoff(requestKey(accountUrl, ['force.example.test']))).toMatchObject({
      failures: 1,
      configFingerprint: expect.stringMatching(/^sha256:/),
    });
    proxy.clearLog();
    expect((await manager.ensure({ identifiers: ['force.example.test'] })).type).toBe('deferred');
    expect(proxy.log).toHaveLength(0);
    const forced = await manager.ensure({ identifiers: ['force.example.test'], force: true });
    expect(forced.type).toBe('issued');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
    expect(await store.getBackoff(requestKey(accountUrl, ['force.example.test']))).toBeUndefined();

    proxy.clearLog();
    proxy.addRule({ kind: 'newOrder', times: 1, action: faults.rateLimited({ retryAfter: 3600 }) });
    const limited = await manager.ensure({ identifiers: ['limited.example.test'] });
    expect(limited).toMatchObject({ type: 'deferred', limit: 'ca:rateLimited' });
    proxy.clearLog();
    const forcedAgain = await manager.ensure({ identifiers: ['limited.example.test'], force: true });
    expect(forcedAgain).toMatchObject({ type: 'deferred', limit: 'ca:rateLimited' });
    expect(proxy.count('newOrder', 'POST')).toBe(0);
  });

  it('(c) a wildcard with only http-01, an IP in a wildcard, an invalid contact: refused with zero requests', async () => {
    const store = new MemoryStore();
    const manager = compose(store);
    const wildcard = await rejectionOf(manager.ensure({ identifiers: ['example.test', '*.example.test'] }));
    expect(wildcard).toBeInstanceOf(PreflightError);
    expect(String(wildcard)).toContain('*.example.test: a wildcard can only be proven with dns-01');
    expect(String(wildcard)).toContain('--dns <plugin>');
    expect(faultOf(wildcard)).toBe('local');
    const ipWildcard = await rejectionOf(manager.ensure({ identifiers: ['*.192.0.2.1'] }));
    expect(String(ipWildcard)).toContain('an IP address cannot be a wildcard');
    const contact = await rejectionOf(
      compose(store, { contact: ['mailto:a@example.test,b@example.test'] }).ensure({
        identifiers: ['c.example.test'],
      }),
    );
    expect(String(contact)).toContain('more than one address');
    expect(String(contact)).toContain('account.email');
    expect(proxy.log).toHaveLength(0);
    expect(await store.getAccount(proxy.directoryUrl, 'default')).toBeUndefined();
  });

  it('(c) in a sweep, a refused certificate is its own failed outcome (local) and the others are still kept', async () => {
    const store = new MemoryStore();
    const manager = compose(store);
    manager.manage([{ identifiers: ['*.sweep.example.test'] }, { identifiers: ['sweep.example.test'] }]);
    const { outcomes } = await manager.renewDue();
    expect(outcomes.map((o) => o.type)).toEqual(['failed', 'issued']);
    const refused = failed(outcomes[0]!);
    expect(refused.fault).toBe('local');
    expect(refused.error).toBeInstanceOf(PreflightError);
    expect(proxy.count('newOrder', 'POST')).toBe(1);
  });

  it('(d) a changed configuration clears the failure backoff: the fixed solver issues at once', async () => {
    const store = new MemoryStore();
    const names = ['config.example.test'];
    // The CA cannot reach the misplaced responder: a failed validation, the CA's answer.
    const broken = failed(
      await compose(store, { solvers: [misplacedHttp01] }).ensure({ identifiers: names }),
    );
    expect(broken).toMatchObject({ fault: 'ca', failures: 1 });
    expect(String(broken.error)).toContain('could not validate config.example.test');
    proxy.clearLog();
    // Same configuration: deferred, nothing sent.
    expect((await compose(store, { solvers: [misplacedHttp01] }).ensure({ identifiers: names })).type).toBe(
      'deferred',
    );
    expect(proxy.log).toHaveLength(0);
    // Another solver (the fingerprint the manager computes changes): ordered at once, and issued.
    const fixed = await compose(store, { solvers: [dns01] }).ensure({ identifiers: names });
    expect(fixed.type).toBe('issued');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
  });

  it('(d) the same for a caller-given fingerprint (the CLI’s, with solver settings)', async () => {
    const store = new MemoryStore();
    const names = ['fingerprint.example.test'];
    const first = failed(
      await compose(store, { solvers: [misplacedHttp01] }).ensure({
        identifiers: names,
        configFingerprint: 'webroot=/wrong',
      }),
    );
    expect(first.fault).toBe('ca');
    // An http-01 solver again, so only the given fingerprint tells the configurations apart.
    const same = await compose(store).ensure({ identifiers: names, configFingerprint: 'webroot=/wrong' });
    expect(same.type).toBe('deferred');
    const changed = await compose(store).ensure({ identifiers: names, configFingerprint: 'webroot=/right' });
    expect(changed.type).toBe('issued');
  });
});
