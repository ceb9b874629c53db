import type { ErrorCode } from './codes.js';

const brand = Symbol.for('certkeeper.error');

export interface CertkeeperErrorOptions {
  /** What the user can do about it. Appended to the message as "Next: …". */
  readonly hint?: string;
  /** The earliest time a retry makes sense, when the failure says so (Retry-After, a rate limit). */
  readonly retryAfter?: Date;
  /** Whether retrying the same operation later can succeed without a change by a person. */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/**
 * Base class of every error certkeeper throws on purpose. `code` is one of the documented
 * `CERTKEEPER_ERR_*` codes (docs/errors.md). Messages never contain secrets.
 *
 * Use {@link CertkeeperError.isInstance} rather than `instanceof` across package boundaries: an application may
 * end up with two copies of a package, and `instanceof` fails between them.
 */
export class CertkeeperError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly retryAfter: Date | undefined;
  readonly retryable: boolean;
  readonly [brand] = true;

  constructor(code: ErrorCode, message: string, options: CertkeeperErrorOptions = {}) {
    super(options.hint ? `${message}\nNext: ${options.hint}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.retryAfter = options.retryAfter;
    this.retryable = options.retryable ?? false;
  }

  static isInstance(value: unknown): value is CertkeeperError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
