import type { AcmeProblem } from '../errors/acme-problem-error.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { type ErrorCode, ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import type { AuthorizationStatus } from '../resources/authorizations.js';
import type { OrderStatus } from '../resources/orders.js';
import type { ChallengeType, DnsPersistTask, PublicationReceipt } from './challenge-solver.js';
import type { PollObservations } from './poll-timing.js';

export const ORDER_STATE_VERSION = 1;

/**
 * Where an order is. The happy path runs top to bottom; any failure goes to `cleanup` with `failure` set, and
 * `cleanup` ends in `done` or `failed`.
 */
export type OrderPhase =
  | 'create-order'
  | 'fetch-authorizations'
  | 'publish'
  | 'await-readiness'
  | 'answer-challenges'
  | 'await-validation'
  | 'finalize'
  | 'poll-order'
  | 'download'
  | 'cleanup'
  | 'done'
  | 'failed';

/** Every phase, in the order an order goes through them when nothing fails (`failed` last). */
export const ORDER_PHASES: readonly OrderPhase[] = [
  'create-order',
  'fetch-authorizations',
  'publish',
  'await-readiness',
  'answer-challenges',
  'await-validation',
  'finalize',
  'poll-order',
  'download',
  'cleanup',
  'done',
  'failed',
];

export interface SelectedChallenge {
  readonly type: ChallengeType;
  readonly url: string;
  readonly token: string;
  readonly keyAuthorization: string;
  readonly dnsTxtValue?: string;
  /** dns-account-01: the label of the order's account, computed once so every worker publishes the same name. */
  readonly dnsAccountLabel?: string;
  /** dns-persist-01: the issuer domain names the CA offered and the account URL the standing record must name. */
  readonly dnsPersist?: DnsPersistTask;
}

export interface AuthorizationState {
  readonly url: string;
  readonly identifier: Identifier;
  readonly wildcard: boolean;
  readonly status: AuthorizationStatus;
  /** Absent when the authorization was already valid (reused by the CA): nothing to solve. */
  readonly challenge?: SelectedChallenge;
  /** The challenge was answered (POST `{}`); never answered twice. */
  readonly answered: boolean;
}

export interface OrderFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly problem?: AcmeProblem;
  readonly identifier?: Identifier;
  /** When a retry makes sense (from Retry-After or a rate limit), ISO 8601. */
  readonly retryAfter?: string;
}

/**
 * "This order is about to be placed": recorded, and persisted, before newOrder is sent — the one request whose
 * result the state cannot know if the process dies before saving the answer. A run that finds an intent without
 * an order URL knows a newOrder may have reached the CA, and looks for that order in the account's orders list
 * (RFC 8555 §7.1.2.1) before placing another. See the create-order step.
 */
export interface OrderIntent {
  /** When newOrder was (or is about to be) sent, ISO 8601. */
  readonly at: string;
  /** The `worker` (step option) that recorded it; absent for an anonymous caller, whose intents are never its own. */
  readonly worker?: string;
  /**
   * Until when a newOrder sent for this intent may still be on its way (its deadline plus a margin). Before then,
   * another worker must wait rather than look for the order (it may not exist yet) or place a second one.
   */
  readonly settlesAt: string;
  /** newOrder was sent and its result is unknown (network failure, deadline, 5xx, a garbled answer). */
  readonly outcomeUnknown?: boolean;
}

export interface IssuedCertificate {
  readonly url: string;
  /** End-entity certificate first, then intermediates (the chosen chain). */
  readonly pem: string;
  /** The issuer name of the chain's top certificate, for preferred-chain choices. */
  readonly chainIssuer?: string;
}

/**
 * Everything needed to continue an order in another process: plain JSON, versioned.
 *
 * **It contains the certificate private key** (`certificateKeyPem`) unless the caller supplied its own CSR:
 * store it as you would store the key.
 */
export interface OrderState {
  readonly version: typeof ORDER_STATE_VERSION;
  /** Random id, for logs and storage keys. */
  readonly id: string;
  readonly directoryUrl: string;
  readonly accountUrl: string;
  /** Wire-form identifiers, in the order given. */
  readonly identifiers: readonly Identifier[];
  readonly profile?: string;
  readonly replaces?: string;
  /** Issuer common name of the chain to prefer among alternates (e.g. "ISRG Root X1"). */
  readonly preferredChain?: string;
  readonly certificateKeyPem?: string;
  /** The caller's CSR, base64url DER. */
  readonly csr?: string;
  readonly phase: OrderPhase;
  /** Set in `create-order` before newOrder is sent; cleared once the order URL is stored. */
  readonly orderIntent?: OrderIntent;
  readonly orderUrl?: string;
  readonly orderStatus?: OrderStatus;
  readonly finalizeUrl?: string;
  readonly certificateUrl?: string;
  /** The order's authorization URLs, as the CA listed them. */
  readonly authorizationUrls: readonly string[];
  /** What was learnt from each authorization and which challenge was chosen (filled by fetch-authorizations). */
  readonly authorizations: readonly AuthorizationState[];
  /** What the solvers published, so cleanup removes exactly that — also after a crash. */
  readonly receipts: readonly PublicationReceipt[];
  /** Polls or checks made in the current phase (resets on every phase change). */
  readonly attempts: number;
  readonly phaseStartedAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The earliest time the next step should run. */
  readonly nextActionAt?: string;
  readonly certificate?: IssuedCertificate;
  readonly failure?: OrderFailure;
  /** How long the CA took to validate and to issue, as this order's polls saw it: learnt by the next orders. */
  readonly pollTiming?: PollObservations;
}

/** Validate state read back from storage before a step runs on it. */
export function assertOrderState(value: unknown): asserts value is OrderState {
  const state = value as Partial<OrderState> | null;
  const invalid = (why: string) =>
    new CertkeeperError(ErrorCodes.INVALID_STATE, `The stored order state cannot be used: ${why}.`, {
      hint: 'start a new order; if the state came from an older certkeeper, finish it with that version.',
    });
  if (typeof state !== 'object' || state === null) throw invalid('it is not an object');
  if (state.version !== ORDER_STATE_VERSION) {
    throw invalid(
      `its version is ${String(state.version)}, this certkeeper reads version ${ORDER_STATE_VERSION}`,
    );
  }
  for (const field of ['id', 'directoryUrl', 'accountUrl', 'phase'] as const) {
    if (typeof state[field] !== 'string') throw invalid(`"${field}" is missing`);
  }
  if (!Array.isArray(state.identifiers) || state.identifiers.length === 0)
    throw invalid('it has no identifiers');
  if (
    !Array.isArray(state.authorizationUrls) ||
    !Array.isArray(state.authorizations) ||
    !Array.isArray(state.receipts)
  )
    throw invalid('it is truncated');
}

export function isFinished(state: OrderState): boolean {
  return state.phase === 'done' || state.phase === 'failed';
}
