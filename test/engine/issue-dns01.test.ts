import {
  type ChallengeSolver,
  type ChallengeTask,
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
