import { CertkeeperError } from './certkeeper-error.js';
import { ErrorCodes } from './codes.js';
import { tlsTrustFailure } from './tls-trust.js';

/**
 * The CA could not be reached at all; nothing was (knowingly) processed. Retryable, except when this machine does
 * not trust the CA's TLS certificate: that fails the same way every time until the trust configuration changes.
 */
export class NetworkError extends CertkeeperError {
  readonly method: string;
  readonly url: string;
  constructor(method: string, url: string, cause: unknown) {
    const reason =
      cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
    const untrusted = tlsTrustFailure(cause);
    super(
      ErrorCodes.NETWORK,
      untrusted
        ? `The CA's TLS certificate is not trusted: ${method} ${url} failed (${untrusted}); nothing was sent.`
        : `Could not reach the CA: ${method} ${url} failed (${reason}).`,
      {
        hint: untrusted
          ? "give the PEM of the CA's root as the CA bundle (config ca.caBundle, --ca-bundle <file>; ManagerOptions.caBundle), or add it to the system trust store; check the clock for CERT_HAS_EXPIRED or CERT_NOT_YET_VALID. A retry without that change fails the same way."
          : 'check the directory URL, the network path to the CA, and the CA bundle if the CA uses a private root.',
        retryable: !untrusted,
        cause,
      },
    );
    this.method = method;
    this.url = url;
  }
}

/** The CA's answer is not valid ACME: a missing header, wrong content, an unexpected status. */
export class ProtocolError extends CertkeeperError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ErrorCodes.PROTOCOL, message, {
      hint:
        'the CA’s answer is not valid ACME: check the directory URL is the CA’s ACME v2 directory; if it is, the CA is ' +
        'misbehaving (tell its operator). The next attempt comes after the backoff (`certkeeper status` shows when).',
      cause: options.cause,
    });
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends CertkeeperError {
  constructor(what: string, cause?: unknown) {
    super(ErrorCodes.ABORTED, `${what} was cancelled.`, { cause });
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortedError(what, signal.reason);
}
