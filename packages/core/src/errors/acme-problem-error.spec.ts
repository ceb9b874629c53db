import { describe, expect, it } from 'vitest';
import {
  AcmeProblemError,
  createProblemError,
  InvalidProfileError,
  RateLimitedError,
  RejectedIdentifierError,
} from './acme-problem-error.js';
import { CertkeeperError } from './certkeeper-error.js';

describe('hints for an account the CA refuses', () => {
  const context = { method: 'POST', url: 'https://ca.test/acme/new-order' };
  const unauthorized = (detail: string) =>
    createProblemError({ type: 'urn:ietf:params:acme:error:unauthorized', detail, status: 403 }, context)
      .hint;

  it('names `account register --new` for a deactivated or revoked account (Pebble and Boulder wording)', () => {
    expect(unauthorized('Account has been deactivated')).toContain('`certkeeper account register --new`');
    expect(unauthorized('Account is not valid, has status "deactivated"')).toContain(
      'account register --new',
    );
    expect(unauthorized('Account has been revoked')).toContain('account register --new');
    const unknown = createProblemError(
      { type: 'urn:ietf:params:acme:error:accountDoesNotExist', detail: 'no such account', status: 400 },
      context,
    );
    expect(unknown.hint).toContain('`certkeeper account register --new`');
  });

  it('keeps the challenge hint for any other unauthorized', () => {
    expect(unauthorized('Incorrect TXT record found at _acme-challenge.a.test')).toContain(
      'challenge response',
    );
    expect(unauthorized('Incorrect TXT record found at _acme-challenge.a.test')).not.toContain('--new');
  });
});

describe('problem documents as typed errors', () => {
  const context = {
    method: 'POST',
    url: 'https://ca.test/acme/new-order',
    retryAfter: new Date('2026-11-22T11:00:00Z'),
  };

  it('keeps type, detail, status, subproblems, identifier, method, URL and Retry-After', () => {
    const error = createProblemError(
      {
        type: 'urn:ietf:params:acme:error:rateLimited',
        detail: 'too many certificates (5) already issued for this exact set of identifiers in the last 168h',
        status: 429,
        subproblems: [
          {
            type: 'urn:ietf:params:acme:error:rejectedIdentifier',
            detail: 'no',
            identifier: { type: 'dns', value: 'x.test' },
          },
        ],
      },
      context,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.code).toBe('CERTKEEPER_ERR_RATE_LIMITED');
    expect(error.type).toBe('rateLimited');
    expect(error.status).toBe(429);
    expect(error.subproblems).toHaveLength(1);
    expect(error.retryAfter?.toISOString()).toBe('2026-11-22T11:00:00.000Z');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('POST https://ca.test/acme/new-order');
    expect(error.message).toContain('x.test: rejectedIdentifier: no');
    expect(error.message).toContain('Retry allowed after 2026-11-22T11:00:00.000Z');
    expect(error.message).toMatch(/Next: wait until/);
  });

  it('names the identifier and recognises itself across copies of the package', () => {
    const error = createProblemError(
      { type: 'urn:ietf:params:acme:error:caa', detail: 'CAA forbids', status: 403 },
      { method: 'POST', url: 'https://ca.test/authz/1', identifier: { type: 'dns', value: 'caa.test' } },
    );
    expect(error.message).toContain('caa for caa.test');
    expect(error.retryable).toBe(false);
    const foreign = Object.assign(Object.create(null), {
      [Symbol.for('certkeeper.error')]: true,
      problem: {},
      method: 'GET',
    });
    expect(CertkeeperError.isInstance(foreign)).toBe(true);
    expect(AcmeProblemError.isInstance(foreign)).toBe(true);
    expect(AcmeProblemError.isInstance(new Error('x'))).toBe(false);
  });

  it('types invalidProfile: not retryable, says to pick a profile the CA offers', () => {
    const error = createProblemError(
      {
        type: 'urn:ietf:params:acme:error:invalidProfile',
        detail: 'profile "tlsclient" is not available',
        status: 400,
      },
      { method: 'POST', url: 'https://ca.test/acme/new-order' },
    );
    expect(error).toBeInstanceOf(InvalidProfileError);
    expect(error.code).toBe('CERTKEEPER_ERR_INVALID_PROFILE');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('invalidProfile (HTTP 400) to POST https://ca.test/acme/new-order');
    expect(error.message).toContain('profile "tlsclient" is not available');
    expect(error.message).toMatch(/Next: order with a profile the CA offers .*meta\.profiles.*--profile/);
  });

  it('types rejectedIdentifier and lists exactly the identifiers the CA refused', () => {
    const error = createProblemError(
      {
        type: 'urn:ietf:params:acme:error:rejectedIdentifier',
        detail: 'Error creating new order :: 1 identifier is forbidden by policy',
        status: 400,
        subproblems: [
          {
            type: 'urn:ietf:params:acme:error:rejectedIdentifier',
            detail: 'a name with a repeated www label',
            identifier: { type: 'dns', value: 'www.www.example.com' },
          },
          {
            type: 'urn:ietf:params:acme:error:caa',
            detail: 'CAA forbids',
            identifier: { type: 'dns', value: 'caa.example.com' },
          },
        ],
      },
      { method: 'POST', url: 'https://ca.test/acme/new-order' },
    );
    expect(error).toBeInstanceOf(RejectedIdentifierError);
    expect(error.code).toBe('CERTKEEPER_ERR_REJECTED_IDENTIFIER');
    expect(error.retryable).toBe(false);
    expect((error as RejectedIdentifierError).rejected).toEqual([
      { type: 'dns', value: 'www.www.example.com' },
    ]);
    expect(error.message).toContain(
      'www.www.example.com: rejectedIdentifier: a name with a repeated www label',
    );
    expect(error.message).toMatch(/Next: .*remove them from the certificate’s names/);
  });
});
