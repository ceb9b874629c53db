import { AcmeProblemError } from './acme-problem-error.js';
import { CertkeeperError } from './certkeeper-error.js';
import { type ErrorCode, ErrorCodes } from './codes.js';
import { DIRECTORY_URL_SOURCE } from './insecure-url-error.js';
import { tlsTrustFailure } from './tls-trust.js';

/**
 * Who a failure is due to, which decides what happens next:
 * - `ca`: the CA answered and said no (a problem document, a failed validation, an order that went invalid, an
 *   answer that is not ACME). Asking again at once gets the same answer and spends the CA's limits, so only this
 *   kind records a persisted backoff.
 * - `network`: the CA (or a DNS provider, the store's database) could not be reached, or answered too late. Nothing
 *   was decided; a retry may succeed without anyone changing anything. No backoff.
 * - `local`: this machine's configuration or environment is wrong (the CA's TLS certificate is not trusted, no
 *   solver fits, a bad option, zone discovery finds nothing, a port is taken). Retrying is useless until a person
 *   fixes it, and the fixed run must not be deferred: no backoff.
 */
export type Fault = 'ca' | 'network' | 'local';

/**
 * Every code of the catalogue, and whose fault it is. A `Record` over `ErrorCode`, so a new code does not compile
 * until it is classified here. `NETWORK` is refined by {@link faultOf} (an untrusted TLS certificate is local).
 */
export const faultByCode: Readonly<Record<ErrorCode, Fault>> = {
  [ErrorCodes.ACME_PROBLEM]: 'ca',
  [ErrorCodes.RATE_LIMITED]: 'ca',
  [ErrorCodes.BAD_NONCE]: 'ca',
  [ErrorCodes.ACCOUNT_DOES_NOT_EXIST]: 'ca',
  // The CA refused the profile or the names: asking the same again gets the same answer (the fix is the config's).
  [ErrorCodes.INVALID_PROFILE]: 'ca',
  [ErrorCodes.REJECTED_IDENTIFIER]: 'ca',
  // The server answered, but not in ACME: the CA's answer (a wrong directory URL gets its own backoff key).
  [ErrorCodes.PROTOCOL]: 'ca',
  [ErrorCodes.NETWORK]: 'network',
  // Only the engine throws it: the CA did not finish validating or issuing in time. It has the order; asking again
  // at once would place another.
  [ErrorCodes.TIMEOUT]: 'ca',
  // The CA stalled, sent too much, redirected, or handed out a plain-HTTP URL: its answers. (A plain-HTTP directory
  // URL is the configuration's: see faultOf.)
  [ErrorCodes.REQUEST_DEADLINE]: 'ca',
  [ErrorCodes.RESPONSE_TOO_LARGE]: 'ca',
  [ErrorCodes.REDIRECT_REFUSED]: 'ca',
  [ErrorCodes.INSECURE_URL]: 'ca',
  // The CA issued a certificate that fails verification (key, names, validity, chain): its misissuance.
  [ErrorCodes.CERTIFICATE_REJECTED]: 'ca',
  // Not failures (the coordinator never records them); classified for callers that map every error.
  [ErrorCodes.ABORTED]: 'local',
  [ErrorCodes.SUSPENDED]: 'local',
  // Another process took the certificate's lease over: nothing was decided (the coordinator reports `deferred`).
  [ErrorCodes.LEASE_LOST]: 'network',
  [ErrorCodes.INVALID_IDENTIFIER]: 'local',
  [ErrorCodes.PROFILE_VIOLATION]: 'local',
  [ErrorCodes.INVALID_CSR]: 'local',
  [ErrorCodes.INVALID_KEY]: 'local',
  // Within an order, only the chain the CA sent is parsed: an unreadable one is the CA's answer.
  [ErrorCodes.INVALID_CERTIFICATE]: 'ca',
  [ErrorCodes.INVALID_OPTION]: 'local',
  [ErrorCodes.INVALID_STATE]: 'local',
  // The CA could not see our response, or refused an identifier: its answer (RFC 8555 §7.5.1).
  [ErrorCodes.AUTHORIZATION_FAILED]: 'ca',
  [ErrorCodes.ORDER_FAILED]: 'ca',
  [ErrorCodes.NO_SOLVER]: 'local',
  [ErrorCodes.SOLVER_FAILED]: 'local',
  // A profile or EAB the configuration asks for and the CA does not offer: the configuration must change.
  [ErrorCodes.UNSUPPORTED_BY_CA]: 'local',
  [ErrorCodes.INVALID_CHALLENGE_TOKEN]: 'ca',
  [ErrorCodes.LISTEN_FAILED]: 'local',
  [ErrorCodes.UNSAFE_PATH]: 'local',
  [ErrorCodes.TEST_HARNESS]: 'local',
  [ErrorCodes.DNS_PROVIDER_FAILED]: 'network',
  [ErrorCodes.DNS_PROVIDER_UNAUTHORIZED]: 'local',
  [ErrorCodes.DNS_ZONE_NOT_FOUND]: 'local',
  [ErrorCodes.DNS_LOOKUP_FAILED]: 'network',
  [ErrorCodes.DNS_PROPAGATION_TIMEOUT]: 'network',
  // A person must publish (or fix) the persistent record; the run after that must not be deferred.
  [ErrorCodes.DNS_PERSIST_RECORD_MISSING]: 'local',
  [ErrorCodes.STORE_IO]: 'local',
  [ErrorCodes.STORE_CORRUPT]: 'local',
  [ErrorCodes.STORE_LOCK_TIMEOUT]: 'network',
  // Another writer won a compare-and-set race: nothing was decided, the next attempt reads the new record.
  [ErrorCodes.STORE_CONFLICT]: 'network',
  [ErrorCodes.STORE_UNAVAILABLE]: 'network',
  [ErrorCodes.STORE_MIGRATION_FAILED]: 'local',
  [ErrorCodes.QUEUE_FAILED]: 'network',
  [ErrorCodes.CONFIG_INVALID]: 'local',
  [ErrorCodes.SECRET_UNAVAILABLE]: 'local',
  [ErrorCodes.PLUGIN_LOAD_FAILED]: 'local',
  [ErrorCodes.OUTPUT_NOT_WRITABLE]: 'local',
  [ErrorCodes.DEPLOY_HOOK_FAILED]: 'local',
  [ErrorCodes.NOT_FOUND]: 'local',
  [ErrorCodes.PREFLIGHT_FAILED]: 'local',
  // The user has not agreed to the CA's terms: nothing was sent; agreeing is the user's step.
  [ErrorCodes.TERMS_NOT_AGREED]: 'local',
  // On-demand TLS answers a handshake with these; none reaches the coordinator, so none records a backoff. A
  // refused name or this process's own issuance budget is the operator's setting; "unavailable" wraps an attempt
  // the policy already judged (its cause carries the real fault) and passes with time.
  [ErrorCodes.ON_DEMAND_REFUSED]: 'local',
  [ErrorCodes.ON_DEMAND_RATE_LIMITED]: 'local',
  [ErrorCodes.ON_DEMAND_UNAVAILABLE]: 'network',
};

/**
 * Whose fault a thrown value is (see {@link Fault}): the one place certkeeper decides it. A problem document from
 * the CA is the CA's; a network error whose cause is an untrusted TLS certificate is local (trust configuration), and
 * so is a configured directory URL that is not HTTPS;
 * other codes by {@link faultByCode}; anything that is not a CertkeeperError (a bug, a plugin's plain Error) is
 * local.
 */
export function faultOf(error: unknown): Fault {
  if (!CertkeeperError.isInstance(error)) return 'local';
  if (AcmeProblemError.isInstance(error)) return 'ca';
  if (error.code === ErrorCodes.NETWORK && tlsTrustFailure(error)) return 'local';
  if (
    error.code === ErrorCodes.INSECURE_URL &&
    (error as CertkeeperError & { source?: unknown }).source === DIRECTORY_URL_SOURCE
  )
    return 'local';
  return faultByCode[error.code] ?? 'local';
}
