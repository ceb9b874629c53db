import { describe, expect, it } from 'vitest';
import type { Identifier } from '../identifiers/identifier.js';
import { solverCanProve } from './challenge-capability.js';
import type { ChallengeSolver, ChallengeType } from './challenge-solver.js';
import { scopeSolvers } from './solver-scope.js';

const solver = (type: ChallengeType, supports?: ChallengeSolver['supports']): ChallengeSolver => ({
  type,
  ...(supports ? { supports } : {}),
  publish: async () => [],
  cleanup: async () => undefined,
});
const dns = (value: string): Identifier => ({ type: 'dns', value });

/** Which of `solvers` (by index) may answer for `name`. */
function answering(solvers: readonly ChallengeSolver[], name: string): number[] {
  const wildcard = name.startsWith('*.');
  const identifier: Identifier = /^[\d.]+$|:/.test(name)
    ? { type: 'ip', value: name }
    : dns(wildcard ? name.slice(2) : name);
  return solvers.flatMap((s, index) => (solverCanProve(s, identifier, wildcard) ? [index] : []));
}

describe('scopeSolvers', () => {
  it('returns the solvers themselves when none has domains', () => {
    const plain = [solver('http-01'), solver('dns-01')];
    expect(scopeSolvers(plain.map((s) => ({ solver: s })))).toEqual(plain);
  });

  it('gives each name to the most specific domain; unscoped solvers take what no scoped one can', () => {
    const solvers = scopeSolvers([
      { solver: solver('http-01'), domains: ['a.test'] },
      { solver: solver('http-01'), domains: ['shop.a.test', 'b.test'] },
      { solver: solver('dns-01') },
    ]);
    expect(answering(solvers, 'a.test')).toEqual([0]);
    expect(answering(solvers, 'www.a.test')).toEqual([0]);
    expect(answering(solvers, 'shop.a.test')).toEqual([1]);
    expect(answering(solvers, 'img.shop.a.test')).toEqual([1]);
    expect(answering(solvers, 'B.TEST')).toEqual([1]);
    // Not a domain boundary: notb.test is not under b.test.
    expect(answering(solvers, 'notb.test')).toEqual([2]);
    expect(answering(solvers, 'c.test')).toEqual([2]);
    // http-01 cannot prove a wildcard: it falls to the DNS solver although a.test is the webroot's.
    expect(answering(solvers, '*.a.test')).toEqual([2]);
  });

  it('a scoped DNS solver takes its names from an unscoped http-01 solver, wildcards included', () => {
    const solvers = scopeSolvers([
      { solver: solver('http-01') },
      { solver: solver('dns-01'), domains: ['*.internal.test'] },
    ]);
    expect(answering(solvers, 'host.internal.test')).toEqual([1]);
    expect(answering(solvers, '*.internal.test')).toEqual([1]);
    expect(answering(solvers, 'www.test')).toEqual([0]);
    expect(answering(solvers, '127.0.0.1')).toEqual([0]);
  });

  it('an IP address is covered only by itself, and the solver’s own supports still applies', () => {
    const solvers = scopeSolvers([
      { solver: solver('http-01', () => false), domains: ['127.0.0.1'] },
      { solver: solver('tls-alpn-01'), domains: ['127.0.0.2'] },
    ]);
    expect(answering(solvers, '127.0.0.1')).toEqual([]);
    expect(answering(solvers, '127.0.0.2')).toEqual([1]);
    expect(answering(solvers, '127.0.0.3')).toEqual([]);
  });

  it('delegates every call to the solver it scopes', async () => {
    const calls: string[] = [];
    const inner: ChallengeSolver = {
      type: 'http-01',
      volatile: true,
      prepare: async () => {
        calls.push('prepare');
        return async () => undefined;
      },
      publish: async () => {
        calls.push('publish');
        return [];
      },
      checkReady: async () => {
        calls.push('checkReady');
        return { ready: true };
      },
      cleanup: async () => {
        calls.push('cleanup');
      },
    };
    const [scoped] = scopeSolvers([{ solver: inner, domains: ['a.test'] }]);
    expect(scoped).toMatchObject({ type: 'http-01', volatile: true });
    await scoped!.prepare!({});
    await scoped!.publish([], {});
    await scoped!.checkReady!([], {});
    await scoped!.cleanup([], {});
    expect(calls).toEqual(['prepare', 'publish', 'checkReady', 'cleanup']);
  });
});
