import {
  CertkeeperError,
  type ChallengeSolver,
  type ChallengeTask,
  ErrorCodes,
  type OrderState,
  parseCertificate,
  prepareOrder,
  runOrder,
  runStep,
} from '@certkeeper/core';
import { ChalltestsrvDnsProvider, Dns01Solver } from '@certkeeper/dns';
import { CertkeeperMetrics } from '@certkeeper/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTxt } from '../support/issue-from-pebble.js';
import { rejectionOf } from '../support/rejection.js';
import { type PebbleFixture, startPebbleFixture } from './pebble-fixture.js';

describe('issuing through dns-01 (pebble-challtestsrv as the DNS)', () => {
  let fixture: PebbleFixture;
  let dns01: Dns01Solver;
  const metrics = new CertkeeperMetrics();
  beforeAll(async () => {
    fixture = await startPebbleFixture();
    const dnsServer = `127.0.0.1:${fixture.pebble.dnsPort}`;
    const provider = new ChalltestsrvDnsProvider({
      managementUrl: fixture.pebble.challtestsrv.url,
      dnsServer,
      zones: ['example.test'],
    });
    dns01 = new Dns01Solver({
      provider,
      discovery: { zones: ['example.test'], fixedServers: [dnsServer], resolvers: [dnsServer] },
      onCheck: (result, publishedAt) => metrics.observePropagation(result, publishedAt),
    });
  });
  afterAll(() => fixture?.stop());

  it('issues an apex + wildcard + three names, publishing all five TXT records (two at one name) before answering any', async () => {
    const client = fixture.client();
    const names = [
      'wild.example.test',
      '*.wild.example.test',
      'a.wild.example.test',
      'b.wild.example.test',
      'c.wild.example.test',
    ];
    let state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: names,
    });
    let readinessChecks = 0;
    const counted: ChallengeSolver = {
      type: 'dns-01',
      publish: (tasks, context) => dns01.publish(tasks, context),
      checkReady: (receipts, context) => {
        readinessChecks++;
        expect(receipts).toHaveLength(5); // one check covers every record of the order
        return dns01.checkReady(receipts, context);
      },
      cleanup: (receipts, context) => dns01.cleanup(receipts, context),
    };
    const deps = { client, solvers: [counted] };
    // Step until everything is published, then look at DNS as the CA will.
    while (state.phase !== 'await-readiness') state = (await runStep(state, deps)).state;
    expect(state.receipts).toHaveLength(5);
    expect(state.authorizations.every((a) => !a.answered)).toBe(true);
    const apex = await servedTxt(fixture.pebble.dnsPort, '_acme-challenge.wild.example.test');
    expect(apex).toHaveLength(2); // apex and wildcard: two records, never two strings in one record
    const expected = state.authorizations
      .filter((a) => a.identifier.value === 'wild.example.test')
      .map((a) => a.challenge!.dnsTxtValue);
    expect(apex.sort()).toEqual(expected.sort());
    const { certificate, state: final } = await runOrder(state, deps);
    expect([...parseCertificate(certificate.pem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    expect(readinessChecks).toBe(1);
    expect(await metrics.registry.metrics()).toMatch(
      /certkeeper_dns_propagation_seconds_count\{nameserver="fixed 127\.0\.0\.1:\d+"\} 1/,
    );
    expect(await servedTxt(fixture.pebble.dnsPort, '_acme-challenge.wild.example.test')).toEqual([]);
    expect(await servedTxt(fixture.pebble.dnsPort, '_acme-challenge.a.wild.example.test')).toEqual([]);
  });

  /** dns01 behind a solver that logs each removal into `events` (beside the phases `onState` sees) and can slow it. */
  function loggingSolver(events: string[], delayMs = 0): ChallengeSolver {
    return {
      type: 'dns-01',
      publish: (tasks, context) => dns01.publish(tasks, context),
      checkReady: (receipts, context) => dns01.checkReady(receipts, context),
      cleanup: async (receipts, context) => {
        events.push(`cleanup ${receipts.length}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        await dns01.cleanup(receipts, context);
        events.push('cleanup ended');
      },
    };
  }

  it('removes the records once the CA has validated them, while the order is finalized and downloaded — once, and the order ends only after it', async () => {
    const client = fixture.client();
    const events: string[] = [];
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: ['early.example.test', '*.early.example.test'],
    });
    // Slow enough that the download is done first: the order still ends only after the removal.
    const { state: final } = await runOrder(
      state,
      { client, solvers: [loggingSolver(events, 400)] },
      { onState: (s) => void events.push(s.phase) },
    );
    expect(events.filter((e) => e.startsWith('cleanup '))).toEqual(['cleanup 2', 'cleanup ended']);
    // Started once the finalized state (validated, the CA issuing) was handed to onState, before the download.
    const started = events.indexOf('cleanup 2');
    expect(events.slice(started - 3, started - 1)).toEqual(['await-validation', 'finalize']);
    expect(events[started - 1]).toMatch(/^(poll-order|download)$/);
    expect(events.lastIndexOf('download')).toBeGreaterThanOrEqual(started - 1);
    expect(events.slice(-3)).toEqual(['cleanup', 'cleanup ended', 'done']);
    expect(final.phase).toBe('done');
    expect(final.receipts).toEqual([]);
    expect(await servedTxt(fixture.pebble.dnsPort, '_acme-challenge.early.example.test')).toEqual([]);
  });

  it('a run stopped during the early removal returns only once the removal has ended; the stored state keeps the receipts', async () => {
    const client = fixture.client();
    const events: string[] = [];
    const stop = new AbortController();
    const solver = loggingSolver(events, 300);
    const removing = solver.cleanup.bind(solver);
    solver.cleanup = (receipts, context) => {
      stop.abort(new Error('Ctrl-C (test)'));
      return removing(receipts, context);
    };
    let last: OrderState | undefined;
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: ['stopped.example.test'],
    });
    const error = await rejectionOf(
      runOrder(
        state,
        { client, solvers: [solver], signal: stop.signal },
        {
          onState: (s) => {
            last = s;
          },
        },
      ),
    );
    expect(error.code).toBe('CERTKEEPER_ERR_ABORTED');
    expect(events).toEqual(['cleanup 1', 'cleanup ended']);
    // A resumed run removes them again (idempotent): dropping them before the removal ended could leave a record.
    expect(last?.receipts).toHaveLength(1);
    expect(await servedTxt(fixture.pebble.dnsPort, '_acme-challenge.stopped.example.test')).toEqual([]);
  });

  it('an order that fails after the early removal removes nothing twice', async () => {
    const client = fixture.client();
    // The CA accepts the CSR; then reading the order or the certificate fails for good.
    const refused = async () => {
      throw new CertkeeperError(ErrorCodes.ORDER_FAILED, 'issuance refused (injected)');
    };
    const finalize = client.orders.finalize.bind(client.orders);
    const get = client.orders.get.bind(client.orders);
    let finalized = false;
    client.orders.finalize = async (...args) => {
      const answer = await finalize(...args);
      finalized = true;
      return answer;
    };
    client.orders.get = (...args) => (finalized ? refused() : get(...args));
    client.certificates.download = refused;
    const events: string[] = [];
    let last: OrderState | undefined;
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: ['late-failure.example.test'],
    });
    const error = await rejectionOf(
      runOrder(
        state,
        { client, solvers: [loggingSolver(events, 100)] },
        {
          onState: (s) => {
            last = s;
            events.push(s.phase);
          },
        },
      ),
    );
    expect(error.message).toContain('issuance refused');
    expect(events.filter((e) => e.startsWith('cleanup '))).toEqual(['cleanup 1', 'cleanup ended']);
    expect(last?.phase).toBe('failed');
    expect(last?.receipts).toEqual([]);
    expect(await servedTxt(fixture.pebble.dnsPort, '_acme-challenge.late-failure.example.test')).toEqual([]);
  });

  it('refuses a wildcard when only http-01 is configured, before publishing anything', async () => {
    const client = fixture.client();
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: ['*.nosolver.example.test'],
    });
    const error = await rejectionOf(runOrder(state, fixture.deps(client)));
    expect(error.code).toBe('CERTKEEPER_ERR_NO_SOLVER');
    expect(error.message).toContain('*.nosolver.example.test');
  });

  it('a solver failing after DNS records went in leaves no records behind and deactivates the authorizations', async () => {
    const client = fixture.client();
    let recordsBeforeFailure: string[] = [];
    const failing: ChallengeSolver = {
      type: 'http-01',
      publish: async (_tasks: readonly ChallengeTask[]) => {
        recordsBeforeFailure = await servedTxt(fixture.pebble.dnsPort, '_acme-challenge.half.example.test');
        throw new Error('webroot not writable (injected)');
      },
      cleanup: async () => {},
    };
    // dns-01 (restricted to the wildcard) publishes first, being configured first; http-01 takes the apex and fails.
    const dnsForWildcardOnly: ChallengeSolver = {
      type: 'dns-01',
      supports: (_identifier, wildcard) => wildcard,
      publish: (tasks, context) => dns01.publish(tasks, context),
      checkReady: (receipts, context) => dns01.checkReady(receipts, context),
      cleanup: (receipts, context) => dns01.cleanup(receipts, context),
    };
    let last: OrderState | undefined;
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: ['*.half.example.test', 'half.example.test'],
    });
    const error = await rejectionOf(
      runOrder(
        state,
        { client, solvers: [dnsForWildcardOnly, failing] },
        {
          onState: (s) => {
            last = s;
          },
        },
      ),
    );
    expect(error.code).toBe('CERTKEEPER_ERR_SOLVER_FAILED');
    expect(error.message).toContain('webroot not writable');
    expect(recordsBeforeFailure).toHaveLength(1);
    expect(await servedTxt(fixture.pebble.dnsPort, '_acme-challenge.half.example.test')).toEqual([]);
    expect(last?.phase).toBe('failed');
    for (const url of last!.authorizationUrls) {
      expect((await client.authorizations.get(url)).authorization.status).toBe('deactivated');
    }
  });
});
