import { describe, expect, it } from 'vitest';
import { CHECKPOINT_BEFORE_WAITS_MS, checkpointNeeded } from './checkpoint.js';
import { ORDER_STATE_VERSION, type OrderState } from './order-state.js';

const now = new Date('2026-12-06T12:00:00Z');
const base: OrderState = {
  version: ORDER_STATE_VERSION,
  id: 'o1',
  directoryUrl: 'https://ca.test/dir',
  accountUrl: 'https://ca.test/acct/1',
  identifiers: [{ type: 'dns', value: 'a.test' }],
  certificateKeyPem: 'KEY',
  phase: 'fetch-authorizations',
  orderUrl: 'https://ca.test/order/1',
  authorizationUrls: ['https://ca.test/authz/1'],
  authorizations: [],
  receipts: [],
  attempts: 0,
  phaseStartedAt: now.toISOString(),
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
};
const authorization = {
  url: 'https://ca.test/authz/1',
  identifier: { type: 'dns', value: 'a.test' },
  wildcard: false,
  status: 'pending',
  answered: false,
} as const;
const continueNow = { type: 'continue' } as const;
const waitFor = (ms: number) => ({ type: 'wait', until: new Date(now.getTime() + ms), reason: 'x' }) as const;

describe('checkpointNeeded', () => {
  it('skips what a resumed run finds again at the CA: phases, polls, authorizations, order status', () => {
    const fetched = { ...base, phase: 'publish' as const, authorizations: [authorization] };
    expect(checkpointNeeded(base, fetched, continueNow, now)).toBe(false);
    const answered = {
      ...fetched,
      phase: 'await-validation' as const,
      authorizations: [{ ...authorization, answered: true }],
      nextActionAt: now.toISOString(),
    };
    expect(checkpointNeeded(fetched, answered, waitFor(50), now)).toBe(false);
    const polled = { ...answered, attempts: 3, orderStatus: 'processing' as const };
    expect(checkpointNeeded(answered, polled, waitFor(400), now)).toBe(false);
    const withUrl = { ...polled, phase: 'download' as const, certificateUrl: 'https://ca.test/cert/1' };
    expect(checkpointNeeded(polled, withUrl, continueNow, now)).toBe(false);
  });

  it('writes what cannot be found again: the first state, the intent and order URL, receipts, the certificate', () => {
    expect(checkpointNeeded(undefined, base, continueNow, now)).toBe(true);
    const { orderUrl: _, ...noOrder } = base;
    const intent = { ...noOrder, orderIntent: { at: now.toISOString(), settlesAt: now.toISOString() } };
    expect(checkpointNeeded(noOrder, intent, continueNow, now)).toBe(true);
    expect(checkpointNeeded(intent, base, continueNow, now)).toBe(true);
    const published = {
      ...base,
      receipts: [{ authorizationUrl: authorization.url, type: 'dns-01' as const, data: { name: 'x' } }],
    };
    expect(checkpointNeeded(base, published, continueNow, now)).toBe(true);
    const issued = { ...base, certificate: { url: 'https://ca.test/cert/1', pem: 'PEM' } };
    expect(checkpointNeeded(base, issued, continueNow, now)).toBe(true);
    expect(checkpointNeeded(base, { ...base, certificateKeyPem: 'OTHER' }, continueNow, now)).toBe(true);
  });

  it('writes a finished order and one about to wait long, so status shows it and a resumed run waits too', () => {
    expect(checkpointNeeded(base, { ...base, phase: 'done' }, { type: 'done' }, now)).toBe(true);
    const failure = { code: 'CERTKEEPER_ERR_TIMEOUT' as const, message: 'slow' };
    expect(checkpointNeeded(base, { ...base, phase: 'failed', failure }, undefined, now)).toBe(true);
    const waiting = { ...base, phase: 'await-readiness' as const, attempts: 1 };
    expect(checkpointNeeded(base, waiting, waitFor(CHECKPOINT_BEFORE_WAITS_MS - 1), now)).toBe(false);
    expect(checkpointNeeded(base, waiting, waitFor(CHECKPOINT_BEFORE_WAITS_MS), now)).toBe(true);
  });

  it('writes the first finalized state that holds DNS records, which runOrder removes from then on — only for DNS records', () => {
    const receipt = (type: 'dns-01' | 'dns-account-01' | 'http-01' | 'dns-persist-01') => ({
      authorizationUrl: authorization.url,
      type,
      data: { name: 'x' },
    });
    const validating = {
      ...base,
      phase: 'await-validation' as const,
      receipts: [receipt('dns-01')],
      authorizations: [{ ...authorization, answered: true }],
    };
    const validated = {
      ...validating,
      phase: 'poll-order' as const,
      orderStatus: 'processing' as const,
      authorizations: [{ ...authorization, status: 'valid' as const, answered: true }],
    };
    expect(checkpointNeeded(validating, validated, continueNow, now)).toBe(true);
    const accountScoped = { ...validated, receipts: [receipt('dns-account-01')] };
    expect(
      checkpointNeeded({ ...validating, receipts: accountScoped.receipts }, accountScoped, continueNow, now),
    ).toBe(true);
    // Not yet while finalizing (nothing is removed before finalize is sent); once stored, the states after it are
    // not; nor is a validated state whose responses stay until cleanup.
    expect(checkpointNeeded(validating, { ...validated, phase: 'finalize' }, continueNow, now)).toBe(false);
    const polled = { ...validated, attempts: 1 };
    expect(checkpointNeeded(validated, polled, waitFor(50), now)).toBe(false);
    const downloading = { ...polled, phase: 'download' as const, certificateUrl: 'https://ca.test/cert/1' };
    expect(checkpointNeeded(polled, downloading, continueNow, now)).toBe(false);
    for (const type of ['http-01', 'dns-persist-01'] as const) {
      const receipts = [receipt(type)];
      expect(
        checkpointNeeded({ ...validating, receipts }, { ...validated, receipts }, continueNow, now),
      ).toBe(false);
    }
    // A failed order goes to cleanup, which the failure's own checkpoint covers.
    const failure = { code: 'CERTKEEPER_ERR_TIMEOUT' as const, message: 'slow' };
    expect(checkpointNeeded(validating, { ...validated, failure }, continueNow, now)).toBe(true);
  });
});
