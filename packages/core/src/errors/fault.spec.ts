import { describe, expect, it } from 'vitest';
import { OrderFailedError } from '../engine/failure.js';
import { createProblemError } from './acme-problem-error.js';
import { CertkeeperError } from './certkeeper-error.js';
import { type ErrorCode, ErrorCodes } from './codes.js';
import { type Fault, faultByCode, faultOf } from './fault.js';
import { DIRECTORY_URL_SOURCE, InsecureUrlError } from './insecure-url-error.js';
import { NetworkError } from './transport-errors.js';

/** The decision for every code, written out: a change of any of them must show up here. */
const expected: Record<Fault, readonly ErrorCode[]> = {
  ca: [
    ErrorCodes.ACME_PROBLEM,
    ErrorCodes.RATE_LIMITED,
    ErrorCodes.BAD_NONCE,
    ErrorCodes.ACCOUNT_DOES_NOT_EXIST,
    ErrorCodes.INVALID_PROFILE,
    ErrorCodes.REJECTED_IDENTIFIER,
    ErrorCodes.PROTOCOL,
    ErrorCodes.TIMEOUT,
    ErrorCodes.REQUEST_DEADLINE,
    ErrorCodes.RESPONSE_TOO_LARGE,
    ErrorCodes.REDIRECT_REFUSED,
    ErrorCodes.INSECURE_URL,
    ErrorCodes.CERTIFICATE_REJECTED,
    ErrorCodes.INVALID_CERTIFICATE,
    ErrorCodes.AUTHORIZATION_FAILED,
    ErrorCodes.ORDER_FAILED,
    ErrorCodes.INVALID_CHALLENGE_TOKEN,
  ],
  network: [
    ErrorCodes.NETWORK,
    ErrorCodes.DNS_PROVIDER_FAILED,
    ErrorCodes.DNS_LOOKUP_FAILED,
    ErrorCodes.DNS_PROPAGATION_TIMEOUT,
    ErrorCodes.STORE_LOCK_TIMEOUT,
    ErrorCodes.STORE_CONFLICT,
    ErrorCodes.LEASE_LOST,
    ErrorCodes.STORE_UNAVAILABLE,
    ErrorCodes.QUEUE_FAILED,
    ErrorCodes.ON_DEMAND_UNAVAILABLE,
  ],
  local: [
    ErrorCodes.ABORTED,
    ErrorCodes.SUSPENDED,
    ErrorCodes.INVALID_IDENTIFIER,
    ErrorCodes.PROFILE_VIOLATION,
    ErrorCodes.INVALID_CSR,
    ErrorCodes.INVALID_KEY,
    ErrorCodes.INVALID_OPTION,
    ErrorCodes.INVALID_STATE,
    ErrorCodes.NO_SOLVER,
    ErrorCodes.SOLVER_FAILED,
    ErrorCodes.UNSUPPORTED_BY_CA,
    ErrorCodes.LISTEN_FAILED,
    ErrorCodes.UNSAFE_PATH,
    ErrorCodes.TEST_HARNESS,
    ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
    ErrorCodes.DNS_ZONE_NOT_FOUND,
    ErrorCodes.DNS_PERSIST_RECORD_MISSING,
    ErrorCodes.STORE_IO,
    ErrorCodes.STORE_CORRUPT,
    ErrorCodes.STORE_MIGRATION_FAILED,
    ErrorCodes.CONFIG_INVALID,
    ErrorCodes.SECRET_UNAVAILABLE,
    ErrorCodes.PLUGIN_LOAD_FAILED,
    ErrorCodes.OUTPUT_NOT_WRITABLE,
    ErrorCodes.DEPLOY_HOOK_FAILED,
    ErrorCodes.NOT_FOUND,
    ErrorCodes.PREFLIGHT_FAILED,
    ErrorCodes.TERMS_NOT_AGREED,
    ErrorCodes.ON_DEMAND_REFUSED,
    ErrorCodes.ON_DEMAND_RATE_LIMITED,
  ],
};

const tlsError = (code: string) => Object.assign(new Error(`tls: ${code}`), { code });
const request = { method: 'POST', url: 'https://ca.test/acme/new-order' };

describe('faultOf: whose fault a failure is', () => {
  it('lists every code of the catalogue exactly once', () => {
    const listed = Object.values(expected).flat();
    expect([...listed].sort()).toEqual(Object.values(ErrorCodes).sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it.each(
    Object.values(ErrorCodes).map((code) => [
      code,
      (Object.keys(expected) as Fault[]).find((fault) => expected[fault].includes(code))!,
    ]),
  )('classifies a CertkeeperError %s as %s', (code, fault) => {
    expect(faultByCode[code]).toBe(fault);
    expect(faultOf(new CertkeeperError(code, 'x'))).toBe(fault);
    // The same code carried by a failed order (as stored in its state) is classified alike.
    expect(faultOf(new OrderFailedError({ code, message: 'x' }))).toBe(fault);
  });

  it.each([
    'malformed',
    'unauthorized',
    'rejectedIdentifier',
    'caa',
    'serverInternal',
    'rateLimited',
    'badNonce',
    'accountDoesNotExist',
    'urn:example:not-acme',
  ])('classifies any problem document from the CA (%s) as ca', (type) => {
    const error = createProblemError(
      { type: type.includes(':') ? type : `urn:ietf:params:acme:error:${type}`, status: 400 },
      request,
    );
    expect(faultOf(error)).toBe('ca');
  });

  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ])('classifies a TLS verification failure (%s) as local trust configuration, not retryable', (code) => {
    const error = new NetworkError('GET', 'https://ca.test/dir', tlsError(code));
    expect(faultOf(error)).toBe('local');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("The CA's TLS certificate is not trusted");
    expect(error.message).toContain(code);
    expect(error.hint).toContain('--ca-bundle');
    expect(error.hint).toContain('ca.caBundle');
  });

  it('finds the TLS failure deeper in the cause chain', () => {
    const wrapped = new Error('fetch failed', { cause: tlsError('DEPTH_ZERO_SELF_SIGNED_CERT') });
    expect(faultOf(new NetworkError('GET', 'https://ca.test/dir', wrapped))).toBe('local');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'])(
    'classifies %s as network, retryable',
    (code) => {
      const error = new NetworkError('GET', 'https://ca.test/dir', tlsError(code));
      expect(faultOf(error)).toBe('network');
      expect(error.retryable).toBe(true);
    },
  );

  it('classifies a plain-HTTP URL from the CA as its answer, but a configured plain-HTTP directory URL as local', () => {
    expect(faultOf(new InsecureUrlError('http://ca.test/order/1', 'Location header of POST'))).toBe('ca');
    expect(faultOf(new InsecureUrlError('http://ca.test/dir', DIRECTORY_URL_SOURCE))).toBe('local');
  });

  it('classifies anything that is not a CertkeeperError (a bug, a plugin’s plain Error) as local', () => {
    expect(faultOf(new TypeError('x is undefined'))).toBe('local');
    expect(faultOf('a string')).toBe('local');
    expect(faultOf(undefined)).toBe('local');
  });
});
