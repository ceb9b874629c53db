import { describe, expect, it } from 'vitest';
import { AcmeProblemError } from '../errors/acme-problem-error.js';
import { NetworkError, ProtocolError } from '../errors/transport-errors.js';
import { orderMatches } from './find-placed-order.js';
import {
  freshIntent,
  isOwnIntent,
  mayBeInFlight,
  newOrderOutcomeUnknown,
  unknownOutcomeIntent,
} from './order-intent.js';

const t0 = new Date('2026-03-01T12:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('order intents', () => {
  it('settle after the deadline plus a margin; an unknown outcome after the margin alone', () => {
    expect(freshIntent(t0, 'w1', 20_000)).toEqual({
      at: t0.toISOString(),
      worker: 'w1',
      settlesAt: later(25_000).toISOString(),
    });
    expect(unknownOutcomeIntent(t0, 'w1')).toEqual({
      at: t0.toISOString(),
      worker: 'w1',
      settlesAt: later(5_000).toISOString(),
      outcomeUnknown: true,
    });
  });

  it('belong to the worker that recorded them, never once their outcome is unknown', () => {
    const intent = freshIntent(t0, 'w1', 20_000);
    expect(isOwnIntent(intent, t0, { worker: 'w1' })).toBe(true);
    expect(isOwnIntent(intent, later(60_000), { worker: 'w1' })).toBe(true);
    expect(isOwnIntent(intent, t0, { worker: 'w2' })).toBe(false);
    expect(isOwnIntent(intent, t0, {})).toBe(false);
    expect(isOwnIntent(unknownOutcomeIntent(t0, 'w1'), t0, { worker: 'w1' })).toBe(false);
  });

  it('an anonymous caller takes a fresh anonymous intent as its own, not a settled one', () => {
    const anonymous = freshIntent(t0, undefined, 20_000);
    expect(isOwnIntent(anonymous, later(1_000), {})).toBe(true);
    expect(isOwnIntent(anonymous, later(25_000), {})).toBe(false);
    expect(isOwnIntent(anonymous, later(1_000), { worker: 'w1' })).toBe(false);
  });

  it("another worker's intent may be in flight until it settles, unless the caller is exclusive", () => {
    const intent = freshIntent(t0, 'w1', 20_000);
    expect(mayBeInFlight(intent, later(24_999), {})).toBe(true);
    expect(mayBeInFlight(intent, later(25_000), {})).toBe(false);
    expect(mayBeInFlight(intent, later(1_000), { exclusive: true })).toBe(false);
    // An unknown result is waited out even by an exclusive caller: the CA may still be committing the order.
    expect(mayBeInFlight(unknownOutcomeIntent(t0, 'w1'), later(1_000), { exclusive: true })).toBe(true);
    expect(mayBeInFlight({ ...intent, settlesAt: 'not a date' }, t0, {})).toBe(false);
  });

  it("a 4xx problem is the CA's refusal; a network error, a 5xx or a garbled answer leave the result unknown", () => {
    const problem = (status: number) =>
      new AcmeProblemError(
        { type: 'urn:ietf:params:acme:error:malformed', status },
        { method: 'POST', url: 'https://ca.test/new-order' },
      );
    expect(newOrderOutcomeUnknown(problem(400))).toBe(false);
    expect(newOrderOutcomeUnknown(problem(429))).toBe(false);
    expect(newOrderOutcomeUnknown(problem(500))).toBe(true);
    expect(
      newOrderOutcomeUnknown(new NetworkError('POST', 'https://ca.test/new-order', new Error('reset'))),
    ).toBe(true);
    expect(newOrderOutcomeUnknown(new ProtocolError('no Location'))).toBe(true);
    expect(newOrderOutcomeUnknown(new DOMException('deadline', 'TimeoutError'))).toBe(true);
  });
});

describe('orderMatches', () => {
  const state = {
    identifiers: [
      { type: 'dns' as const, value: 'a.example.test' },
      { type: 'dns' as const, value: 'b.example.test' },
    ],
  };
  const order = {
    status: 'pending' as const,
    identifiers: [
      { type: 'dns' as const, value: 'B.example.test' },
      { type: 'dns' as const, value: 'a.example.test' },
    ],
  };

  it('matches a pending or ready order for the same identifier set, in any order and case', () => {
    expect(orderMatches(order, state)).toBe(true);
    expect(orderMatches({ ...order, status: 'ready' }, state)).toBe(true);
  });

  it('never a processing, valid or invalid order: it was finalized with a CSR that was not ours', () => {
    for (const status of ['processing', 'valid', 'invalid'] as const)
      expect(orderMatches({ ...order, status }, state)).toBe(false);
  });

  it('not another identifier set, nor garbage from the CA', () => {
    expect(orderMatches({ ...order, identifiers: order.identifiers.slice(0, 1) }, state)).toBe(false);
    expect(orderMatches({ ...order, identifiers: [] }, state)).toBe(false);
    expect(orderMatches({ ...order, identifiers: [null, 'x'] as never }, state)).toBe(false);
    expect(orderMatches({ ...order, identifiers: 'a.example.test' as never }, state)).toBe(false);
  });

  it('the profile must match when both name one; a profile the CA chose itself is accepted', () => {
    expect(orderMatches({ ...order, profile: 'shortlived' }, { ...state, profile: 'shortlived' })).toBe(true);
    expect(orderMatches({ ...order, profile: 'classic' }, { ...state, profile: 'shortlived' })).toBe(false);
    expect(orderMatches({ ...order, profile: 'classic' }, state)).toBe(true);
    expect(orderMatches(order, { ...state, profile: 'shortlived' })).toBe(true);
  });

  it('replaces must be the same where the CA echoes it', () => {
    expect(orderMatches({ ...order, replaces: 'abc.123' }, { ...state, replaces: 'abc.123' })).toBe(true);
    expect(orderMatches({ ...order, replaces: 'abc.999' }, { ...state, replaces: 'abc.123' })).toBe(false);
    expect(orderMatches({ ...order, replaces: 'abc.123' }, state)).toBe(false);
    expect(orderMatches(order, { ...state, replaces: 'abc.123' })).toBe(true);
  });
});
