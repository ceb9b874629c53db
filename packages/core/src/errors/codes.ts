/**
 * Every error code certkeeper's core throws, with the one-line meaning documented in docs/errors.md.
 * A spec checks that each code here is documented there.
 */
export const ErrorCodes = {
  /** The CA answered with an RFC 8555 problem document (see `AcmeProblemError.type`). */
  ACME_PROBLEM: 'CERTKEEPER_ERR_ACME_PROBLEM',
  /** The CA refused the request because of a rate limit; `retryAfter` says when to try again. */
  RATE_LIMITED: 'CERTKEEPER_ERR_RATE_LIMITED',
  /** The CA kept rejecting nonces after the bounded number of fresh retries. */
  BAD_NONCE: 'CERTKEEPER_ERR_BAD_NONCE',
  /** The account URL or key is unknown to the CA. */
  ACCOUNT_DOES_NOT_EXIST: 'CERTKEEPER_ERR_ACCOUNT_DOES_NOT_EXIST',
  /** The CA refused the profile the order named (`invalidProfile`). */
  INVALID_PROFILE: 'CERTKEEPER_ERR_INVALID_PROFILE',
  /** The CA's policy refused identifiers of the order (`rejectedIdentifier`); `rejected` lists them. */
  REJECTED_IDENTIFIER: 'CERTKEEPER_ERR_REJECTED_IDENTIFIER',
  /** The CA answered with something that is not valid ACME (wrong status, missing header, bad JSON). */
  PROTOCOL: 'CERTKEEPER_ERR_PROTOCOL',
  /** The CA could not be reached (connection refused, reset, DNS failure, TLS failure). */
  NETWORK: 'CERTKEEPER_ERR_NETWORK',
  /** A request or a wait ran past its time limit. */
  TIMEOUT: 'CERTKEEPER_ERR_TIMEOUT',
  /** A request to the CA ran past its total deadline (connect + headers + body): the CA stalled or trickled. */
  REQUEST_DEADLINE: 'CERTKEEPER_ERR_REQUEST_DEADLINE',
  /** The CA's response body was larger than the cap for its resource; reading stopped at the cap. */
  RESPONSE_TOO_LARGE: 'CERTKEEPER_ERR_RESPONSE_TOO_LARGE',
  /** The CA answered with a redirect (3xx); ACME clients never follow one. */
  REDIRECT_REFUSED: 'CERTKEEPER_ERR_REDIRECT_REFUSED',
  /** A URL the CA handed over (or the directory URL) is not HTTPS (RFC 8555 §6.1); nothing was sent to it. */
  INSECURE_URL: 'CERTKEEPER_ERR_INSECURE_URL',
  /** The certificate the CA issued fails verification (key, names, validity, chain, trust anchor); it was not stored. */
  CERTIFICATE_REJECTED: 'CERTKEEPER_ERR_CERTIFICATE_REJECTED',
  /** The caller cancelled the operation with its AbortSignal. */
  ABORTED: 'CERTKEEPER_ERR_ABORTED',
  /** An order was put aside during a long wait (DNS propagation, validation); resume it at `retryAfter`. */
  SUSPENDED: 'CERTKEEPER_ERR_SUSPENDED',
  /** The store lease on a certificate could not be kept while its order ran; the run stopped so another can go on. */
  LEASE_LOST: 'CERTKEEPER_ERR_LEASE_LOST',
  /** An identifier given by the caller is not valid; nothing was sent. */
  INVALID_IDENTIFIER: 'CERTKEEPER_ERR_INVALID_IDENTIFIER',
  /** The order breaks the limits of the requested profile (names, identifier types); nothing was sent. */
  PROFILE_VIOLATION: 'CERTKEEPER_ERR_PROFILE_VIOLATION',
  /** The caller's CSR is malformed or its names disagree with the order. */
  INVALID_CSR: 'CERTKEEPER_ERR_INVALID_CSR',
  /** A key is of an unsupported type or size, or cannot be parsed. */
  INVALID_KEY: 'CERTKEEPER_ERR_INVALID_KEY',
  /** A PEM certificate or chain could not be parsed. */
  INVALID_CERTIFICATE: 'CERTKEEPER_ERR_INVALID_CERTIFICATE',
  /** An option passed by the caller is invalid. */
  INVALID_OPTION: 'CERTKEEPER_ERR_INVALID_OPTION',
  /** A stored OrderState cannot be used (unknown version, corrupted, another account). */
  INVALID_STATE: 'CERTKEEPER_ERR_INVALID_STATE',
  /** An authorization ended `invalid`: the CA could not validate a challenge. */
  AUTHORIZATION_FAILED: 'CERTKEEPER_ERR_AUTHORIZATION_FAILED',
  /** The order ended `invalid`, or expired, before a certificate was issued. */
  ORDER_FAILED: 'CERTKEEPER_ERR_ORDER_FAILED',
  /** No configured solver can answer any challenge offered for an identifier. */
  NO_SOLVER: 'CERTKEEPER_ERR_NO_SOLVER',
  /** A challenge solver failed to publish, check or clean up. */
  SOLVER_FAILED: 'CERTKEEPER_ERR_SOLVER_FAILED',
  /** The directory does not offer a feature the caller asked for (profiles, EAB, renewalInfo, key change). */
  UNSUPPORTED_BY_CA: 'CERTKEEPER_ERR_UNSUPPORTED_BY_CA',
  /** A challenge token is not base64url or has an implausible length (RFC 8555 §8.3); nothing was served. */
  INVALID_CHALLENGE_TOKEN: 'CERTKEEPER_ERR_INVALID_CHALLENGE_TOKEN',
  /** A server could not listen on its host and port (address in use, privileged port, address not local). */
  LISTEN_FAILED: 'CERTKEEPER_ERR_LISTEN_FAILED',
  /** A file path would leave its root directory (through a symlink or `..`); nothing was written. */
  UNSAFE_PATH: 'CERTKEEPER_ERR_UNSAFE_PATH',
  /** A test harness (Pebble, pebble-challtestsrv, the fault-injection proxy) could not start or be driven. */
  TEST_HARNESS: 'CERTKEEPER_ERR_TEST_HARNESS',
  /** A DNS provider call failed (HTTP 5xx/429 after brief retries, network error, unexpected answer). */
  DNS_PROVIDER_FAILED: 'CERTKEEPER_ERR_DNS_PROVIDER_FAILED',
  /** A DNS provider rejected the configured credentials or lacks permission for the zone. */
  DNS_PROVIDER_UNAUTHORIZED: 'CERTKEEPER_ERR_DNS_PROVIDER_UNAUTHORIZED',
  /** No zone holding the name was found (SOA walk, provider zone list), or the provider does not host it. */
  DNS_ZONE_NOT_FOUND: 'CERTKEEPER_ERR_DNS_ZONE_NOT_FOUND',
  /** A DNS lookup needed for discovery failed (no answer, SERVFAIL, CNAME loop, nameserver without address). */
  DNS_LOOKUP_FAILED: 'CERTKEEPER_ERR_DNS_LOOKUP_FAILED',
  /** Published TXT records did not reach every authoritative server (or required resolver) before the deadline. */
  DNS_PROPAGATION_TIMEOUT: 'CERTKEEPER_ERR_DNS_PROPAGATION_TIMEOUT',
  /**
   * The dns-persist-01 record (`_validation-persist.<name>`) that would authorize this account is missing, or does
   * not authorize it (issuer, accounturi, policy=wildcard, persistUntil), on some authoritative server.
   */
  DNS_PERSIST_RECORD_MISSING: 'CERTKEEPER_ERR_DNS_PERSIST_RECORD_MISSING',
  /** A store could not read or write its files (permissions, disk full, I/O error). */
  STORE_IO: 'CERTKEEPER_ERR_STORE_IO',
  /** A stored record cannot be read back (not JSON, wrong shape): edited by hand or damaged outside certkeeper. */
  STORE_CORRUPT: 'CERTKEEPER_ERR_STORE_CORRUPT',
  /** A cross-process store lock stayed held by a live process past the time limit. */
  STORE_LOCK_TIMEOUT: 'CERTKEEPER_ERR_STORE_LOCK_TIMEOUT',
  /** A compare-and-set write lost: another writer changed the record since it was read (expected vs found revision). */
  STORE_CONFLICT: 'CERTKEEPER_ERR_STORE_CONFLICT',
  /** The store's database could not be reached or refused the query (after brief retries for idempotent calls). */
  STORE_UNAVAILABLE: 'CERTKEEPER_ERR_STORE_UNAVAILABLE',
  /** The store's schema migrations failed, or the database holds a schema newer than this code knows. */
  STORE_MIGRATION_FAILED: 'CERTKEEPER_ERR_STORE_MIGRATION_FAILED',
  /** The renewal job queue could not start, enqueue or fetch jobs. */
  QUEUE_FAILED: 'CERTKEEPER_ERR_QUEUE_FAILED',
  /** A configuration file cannot be used (not YAML, an unknown key, a wrong type or value); nothing was done. */
  CONFIG_INVALID: 'CERTKEEPER_ERR_CONFIG_INVALID',
  /** A secret the configuration names (`{ env }` or `{ file }`) is not set or cannot be read; nothing was done. */
  SECRET_UNAVAILABLE: 'CERTKEEPER_ERR_SECRET_UNAVAILABLE',
  /** A plugin package is not installed, fails to import, or exports no valid descriptor; nothing was done. */
  PLUGIN_LOAD_FAILED: 'CERTKEEPER_ERR_PLUGIN_LOAD_FAILED',
  /** A directory certificates are to be written to is not writable; checked before any order is placed. */
  OUTPUT_NOT_WRITABLE: 'CERTKEEPER_ERR_OUTPUT_NOT_WRITABLE',
  /** A deploy hook could not start, exited non-zero or ran past its time limit; the certificate is stored. */
  DEPLOY_HOOK_FAILED: 'CERTKEEPER_ERR_DEPLOY_HOOK_FAILED',
  /** A certificate or account the caller named is not in the store. */
  NOT_FOUND: 'CERTKEEPER_ERR_NOT_FOUND',
  /**
   * A check before ordering refused the request (an identifier no configured solver can prove, an invalid contact
   * address); nothing was sent to the CA.
   */
  PREFLIGHT_FAILED: 'CERTKEEPER_ERR_PREFLIGHT_FAILED',
  /** A new account was not registered: the CA's terms of service were not agreed to; nothing was sent. */
  TERMS_NOT_AGREED: 'CERTKEEPER_ERR_TERMS_NOT_AGREED',
  /**
   * An on-demand TLS server did not issue for a handshake's server name: the `allow` policy refused it, or it is no
   * valid DNS name. Nothing was read from the store or sent to the CA.
   */
  ON_DEMAND_REFUSED: 'CERTKEEPER_ERR_ON_DEMAND_REFUSED',
  /** An on-demand TLS server's own issuance limit (global or per name) is spent; `retryAfter` says when it opens. */
  ON_DEMAND_RATE_LIMITED: 'CERTKEEPER_ERR_ON_DEMAND_RATE_LIMITED',
  /**
   * An on-demand TLS server has no certificate for a name: the last attempt failed or was deferred, and handshakes
   * for it fail at once until `retryAfter`.
   */
  ON_DEMAND_UNAVAILABLE: 'CERTKEEPER_ERR_ON_DEMAND_UNAVAILABLE',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
