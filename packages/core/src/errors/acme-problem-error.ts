import type { Identifier } from '../identifiers/identifier.js';
import { formatIdentifier } from '../identifiers/identifier.js';
import { CertkeeperError } from './certkeeper-error.js';
import { type ErrorCode, ErrorCodes } from './codes.js';
import { problemHint, shortProblemType } from './problem-types.js';

/** An RFC 7807 / RFC 8555 §6.7 problem document as the CA sent it. */
export interface AcmeProblem {
  readonly type: string;
  readonly detail?: string;
  readonly status?: number;
  readonly instance?: string;
  readonly identifier?: Identifier;
  readonly subproblems?: readonly AcmeProblem[];
  /** RFC 8555 §7.3.3: userActionRequired carries a link to the terms to agree to. */
  readonly [extra: string]: unknown;
}

export interface AcmeRequestContext {
  readonly method: string;
  readonly url: string;
  /** The identifier the request concerned, when the caller knows it (an authorization, a challenge). */
  readonly identifier?: Identifier;
  readonly retryAfter?: Date;
}

/**
 * The CA answered with a problem document. Nothing is flattened: the problem's `type`, `detail`, `status`,
 * `subproblems` and the parsed `Retry-After` stay available, together with the request's method and URL.
 */
export class AcmeProblemError extends CertkeeperError {
  readonly problem: AcmeProblem;
  /** The short type (`rateLimited`), or the full URI for non-ACME types. */
  readonly type: string;
  readonly detail: string | undefined;
  readonly status: number | undefined;
  readonly subproblems: readonly AcmeProblem[];
  readonly identifier: Identifier | undefined;
  readonly method: string;
  readonly url: string;

  constructor(problem: AcmeProblem, context: AcmeRequestContext, code: ErrorCode = ErrorCodes.ACME_PROBLEM) {
    const type = shortProblemType(problem.type);
    const identifier = problem.identifier ?? context.identifier;
    super(code, describeProblem(type, problem, context, identifier), {
      hint: problemHint(type, problem.detail),
      retryAfter: context.retryAfter,
      retryable: isRetryableProblem(type, problem.status),
    });
    this.problem = problem;
    this.type = type;
    this.detail = problem.detail;
    this.status = problem.status;
    this.subproblems = problem.subproblems ?? [];
    this.identifier = identifier;
    this.method = context.method;
    this.url = context.url;
  }

  static override isInstance(value: unknown): value is AcmeProblemError {
    return CertkeeperError.isInstance(value) && 'problem' in value && 'method' in value;
  }
}

/** The CA refused because of a rate limit (429, or 503 with `rateLimited`). `retryAfter` says when to retry. */
export class RateLimitedError extends AcmeProblemError {
  constructor(problem: AcmeProblem, context: AcmeRequestContext) {
    super(problem, context, ErrorCodes.RATE_LIMITED);
  }
}

/** The CA kept rejecting nonces after every bounded, freshly signed retry. */
export class BadNonceError extends AcmeProblemError {
  constructor(problem: AcmeProblem, context: AcmeRequestContext) {
    super(problem, context, ErrorCodes.BAD_NONCE);
  }
}

/** The account is unknown to the CA (RFC 8555 §7.3.1 `onlyReturnExisting`, or a deleted account). */
export class AccountDoesNotExistError extends AcmeProblemError {
  constructor(problem: AcmeProblem, context: AcmeRequestContext) {
    super(problem, context, ErrorCodes.ACCOUNT_DOES_NOT_EXIST);
  }
}

/**
 * The CA does not issue with the profile the order named (`invalidProfile`, draft-aaron-acme-profiles): not one it
 * offers, or one closed to new users (Let's Encrypt's `tlsclient` since 2026-05-13). Nothing was ordered.
 */
export class InvalidProfileError extends AcmeProblemError {
  constructor(problem: AcmeProblem, context: AcmeRequestContext) {
    super(problem, context, ErrorCodes.INVALID_PROFILE);
  }
}

/**
 * The CA's policy refuses some identifiers of the order (`rejectedIdentifier`, RFC 8555 §6.7); since 2026-02 Let's
 * Encrypt refuses new, non-renewal orders for names like `www.www.example.com`. `rejected` lists the identifiers
 * named in the problem and its subproblems (§6.7.1), so a caller can drop exactly those.
 */
export class RejectedIdentifierError extends AcmeProblemError {
  readonly rejected: readonly Identifier[];

  constructor(problem: AcmeProblem, context: AcmeRequestContext) {
    super(problem, context, ErrorCodes.REJECTED_IDENTIFIER);
    const named = [problem, ...(problem.subproblems ?? [])]
      .filter((entry) => shortProblemType(entry.type) === 'rejectedIdentifier' && entry.identifier)
      .map((entry) => entry.identifier as Identifier);
    this.rejected = named.length > 0 ? named : context.identifier ? [context.identifier] : [];
  }
}

/** Build the most specific error class for a problem document. */
export function createProblemError(problem: AcmeProblem, context: AcmeRequestContext): AcmeProblemError {
  switch (shortProblemType(problem.type)) {
    case 'rateLimited':
      return new RateLimitedError(problem, context);
    case 'badNonce':
      return new BadNonceError(problem, context);
    case 'accountDoesNotExist':
      return new AccountDoesNotExistError(problem, context);
    case 'invalidProfile':
      return new InvalidProfileError(problem, context);
    case 'rejectedIdentifier':
      return new RejectedIdentifierError(problem, context);
    default:
      return new AcmeProblemError(problem, context);
  }
}

function isRetryableProblem(type: string, status: number | undefined): boolean {
  return type === 'rateLimited' || type === 'badNonce' || type === 'serverInternal' || (status ?? 0) >= 500;
}

function describeProblem(
  type: string,
  problem: AcmeProblem,
  context: AcmeRequestContext,
  identifier: Identifier | undefined,
): string {
  const about = identifier ? ` for ${formatIdentifier(identifier)}` : '';
  const status = problem.status ? ` (HTTP ${problem.status})` : '';
  const lines = [
    `The CA answered ${type}${about}${status} to ${context.method} ${context.url}: ${problem.detail ?? '(no detail)'}`,
  ];
  for (const sub of problem.subproblems ?? []) {
    const subAbout = sub.identifier ? `${formatIdentifier(sub.identifier)}: ` : '';
    lines.push(`  - ${subAbout}${shortProblemType(sub.type)}: ${sub.detail ?? '(no detail)'}`);
  }
  if (context.retryAfter) lines.push(`Retry allowed after ${context.retryAfter.toISOString()}.`);
  if (type === 'userActionRequired' && typeof problem.instance === 'string')
    lines.push(`See ${problem.instance}`);
  return lines.join('\n');
}
