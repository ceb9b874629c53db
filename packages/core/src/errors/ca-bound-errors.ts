import { CertkeeperError } from './certkeeper-error.js';
import { ErrorCodes } from './codes.js';

/**
 * The errors of a CA that broke one of the bounds certkeeper puts on every answer (docs: packages/core/README.md,
 * "Bounds on what the CA says"). They are not retried within the run: the CA did this, so the same request now would
 * most likely meet the same answer. The manager records a failure with its backoff and moves on to the next
 * certificate; the next attempt comes after that backoff.
 */
const nextAttempt = 'certkeeper moves on and tries again after the backoff (`certkeeper status` shows when)';

/** A request ran past its total deadline: connect, headers and body together, not just an idle gap. */
export class RequestDeadlineError extends CertkeeperError {
  readonly method: string;
  readonly url: string;
  /** The deadline that was enforced, in ms. */
  readonly deadlineMs: number;
  /** Body bytes received before the deadline (0 when the headers never came). */
  readonly bytesRead: number;

  constructor(method: string, url: string, deadlineMs: number, bytesRead: number, cause?: unknown) {
    super(
      ErrorCodes.REQUEST_DEADLINE,
      `The CA did not answer ${method} ${url} within the ${deadlineMs / 1000} s deadline per request ` +
        `(${bytesRead} body bytes received): it stalled or sent its answer too slowly.`,
      {
        hint: `${nextAttempt}. If this CA is slow on purpose, raise the deadline (option requestDeadlineMs).`,
        cause,
      },
    );
    this.method = method;
    this.url = url;
    this.deadlineMs = deadlineMs;
    this.bytesRead = bytesRead;
  }
}

/** A response body exceeded the cap for its resource; reading stopped there, the rest was never buffered. */
export class ResponseTooLargeError extends CertkeeperError {
  readonly method: string;
  readonly url: string;
  /** What the body was read as: `directory`, `order`, `certificate`, `problem`, … */
  readonly resource: string;
  readonly limitBytes: number;
  /** Bytes read before stopping: at most the limit plus one network chunk. */
  readonly bytesRead: number;
  /** The Content-Length the CA announced, when it announced one. */
  readonly declaredBytes: number | undefined;

  constructor(options: {
    method: string;
    url: string;
    resource: string;
    limitBytes: number;
    bytesRead: number;
    declaredBytes?: number;
  }) {
    const { method, url, resource, limitBytes, bytesRead, declaredBytes } = options;
    const seen =
      declaredBytes !== undefined && bytesRead === 0
        ? `announced ${declaredBytes} bytes`
        : `sent more than ${limitBytes} bytes (reading stopped after ${bytesRead})`;
    super(
      ErrorCodes.RESPONSE_TOO_LARGE,
      `The CA's answer to ${method} ${url} is too large for ${article(resource)} ${resource}: it ${seen}; ` +
        `the limit is ${limitBytes} bytes.`,
      { hint: `${nextAttempt}. Check that the directory URL points at an ACME server.` },
    );
    this.method = method;
    this.url = url;
    this.resource = resource;
    this.limitBytes = limitBytes;
    this.bytesRead = bytesRead;
    this.declaredBytes = declaredBytes;
  }
}

/** The CA answered 3xx. RFC 8555 gives redirects no role; following one could send signed requests elsewhere. */
export class RedirectRefusedError extends CertkeeperError {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The Location the CA pointed at, when it gave one. */
  readonly location: string | undefined;
  /** The host of that Location (`evil.example` in `https://evil.example/x`), when it is a URL. */
  readonly locationHost: string | undefined;

  constructor(method: string, url: string, status: number, location: string | undefined) {
    const locationHost = hostOf(location, url);
    const target = location
      ? ` to ${locationHost ? `host ${locationHost} (${location})` : JSON.stringify(location)}`
      : ' without a Location';
    super(
      ErrorCodes.REDIRECT_REFUSED,
      `The CA answered ${method} ${url} with a redirect (HTTP ${status})${target}; certkeeper never follows redirects.`,
      {
        hint: `if the CA moved, configure its new directory URL yourself (ca.directory / --ca); otherwise ${nextAttempt}.`,
      },
    );
    this.method = method;
    this.url = url;
    this.status = status;
    this.location = location;
    this.locationHost = locationHost;
  }
}

function hostOf(location: string | undefined, base: string): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base).host;
  } catch {
    return undefined;
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
