/**
 * RFC 8555 §6.7 error types, plus RFC 9773's `alreadyReplaced` and the profiles draft's `invalidProfile`, without
 * the `urn:ietf:params:acme:error:` prefix.
 */
export const ProblemTypes = {
  accountDoesNotExist: 'accountDoesNotExist',
  alreadyReplaced: 'alreadyReplaced',
  alreadyRevoked: 'alreadyRevoked',
  badCSR: 'badCSR',
  badNonce: 'badNonce',
  badPublicKey: 'badPublicKey',
  badRevocationReason: 'badRevocationReason',
  badSignatureAlgorithm: 'badSignatureAlgorithm',
  caa: 'caa',
  compound: 'compound',
  connection: 'connection',
  dns: 'dns',
  externalAccountRequired: 'externalAccountRequired',
  incorrectResponse: 'incorrectResponse',
  invalidContact: 'invalidContact',
  invalidProfile: 'invalidProfile',
  malformed: 'malformed',
  orderNotReady: 'orderNotReady',
  rateLimited: 'rateLimited',
  rejectedIdentifier: 'rejectedIdentifier',
  serverInternal: 'serverInternal',
  tls: 'tls',
  unauthorized: 'unauthorized',
  unsupportedContact: 'unsupportedContact',
  unsupportedIdentifier: 'unsupportedIdentifier',
  userActionRequired: 'userActionRequired',
} as const;

export type ProblemType = (typeof ProblemTypes)[keyof typeof ProblemTypes];

export const ACME_ERROR_PREFIX = 'urn:ietf:params:acme:error:';

/** `urn:ietf:params:acme:error:badNonce` → `badNonce`; other URIs are returned unchanged. */
export function shortProblemType(type: string | undefined): string {
  if (!type) return 'about:blank';
  return type.startsWith(ACME_ERROR_PREFIX) ? type.slice(ACME_ERROR_PREFIX.length) : type;
}

/** What a person can do about each problem type; used as the error's "Next:" line. */
export const problemHints: Partial<Record<ProblemType, string>> = {
  accountDoesNotExist:
    'the CA does not know the stored account: check that the store and the CA are the ones you meant, then `certkeeper account register --new` registers a new account key and replaces the stored account.',
  alreadyReplaced:
    'the certificate named in "replaces" already has a replacement order; retry the order without "replaces".',
  alreadyRevoked: 'nothing to do: the certificate is already revoked.',
  badCSR: 'check the CSR: its key type and size, its names, and that it is signed correctly.',
  badPublicKey: 'use a key the CA accepts (ECDSA P-256/P-384 or RSA 2048/3072/4096).',
  badRevocationReason: 'use a revocation reason the CA accepts (0, 1, 3, 4 or 5 at Let’s Encrypt).',
  caa: 'a CAA record forbids this CA for the name: add the CA’s CAA identifier to the domain’s CAA records.',
  connection:
    'the CA could not connect to the server that should answer the challenge: check firewalls and DNS.',
  dns: 'the CA could not resolve the name: check the domain’s DNS servers answer for it.',
  externalAccountRequired: 'this CA needs External Account Binding: pass an EAB key id and HMAC key.',
  incorrectResponse:
    'the CA saw a different response than expected: check the challenge is served or published.',
  invalidContact: 'fix the contact address (mailto: with a valid e-mail address).',
  invalidProfile:
    'order with a profile the CA offers (its directory lists them under meta.profiles): set `profile` in the config or --profile, or leave it out for the CA’s default.',
  malformed:
    'the CA refused the request as malformed: its detail names what it objected to (often an identifier, a CSR field or a profile it does not accept).',
  orderNotReady: 'the order is not ready to finalize: all authorizations must be valid first.',
  rateLimited: 'wait until the time given before retrying; repeated attempts before then are refused again.',
  rejectedIdentifier:
    'the CA’s policy refuses the identifiers named above (Let’s Encrypt: names like www.www.example.com in a new order): remove them from the certificate’s names; retrying the same set is refused again.',
  serverInternal: 'the CA had an internal error; retry later.',
  tls: 'the CA had a TLS problem reaching the challenge server: check its certificate and TLS configuration.',
  unauthorized:
    'the CA did not find the expected challenge response, or the account may not act on this resource.',
  unsupportedContact: 'use a contact the CA supports (usually mailto:).',
  unsupportedIdentifier:
    'the CA does not issue for this identifier type; remove it or use another CA or profile.',
  userActionRequired: 'a person must act: visit the URL given by the CA (usually new terms of service).',
};

/** What a person can do when the CA refuses an account it deactivated or revoked (it never accepts it again). */
export const ACCOUNT_NOT_VALID_HINT =
  'the account is no longer valid at the CA (deactivated or revoked) and cannot be used again: `certkeeper account register --new` registers a new account key and replaces the stored account.';

/**
 * How CAs word `unauthorized` for a request signed by a deactivated or revoked account — Pebble: "Account has been
 * deactivated"; Boulder: `Account is not valid, has status "deactivated"` — which RFC 8555 §7.3.6 gives no type of
 * its own.
 */
const ACCOUNT_NOT_VALID = /\baccount (has been|is) (deactivated|revoked)\b|\baccount is not valid\b/i;

/** Whether a problem (short type, detail) says the account signing the request is deactivated or revoked. */
export function isAccountNotValidProblem(type: string, detail: string | undefined): boolean {
  return type === 'unauthorized' && detail !== undefined && ACCOUNT_NOT_VALID.test(detail);
}

/** The "Next:" line for a problem: by its type, except an `unauthorized` that says the account is not valid. */
export function problemHint(type: string, detail: string | undefined): string | undefined {
  if (isAccountNotValidProblem(type, detail)) return ACCOUNT_NOT_VALID_HINT;
  return problemHints[type as ProblemType];
}
