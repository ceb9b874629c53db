import { AsyncLocalStorage } from 'node:async_hooks';
import { AcmeProblemError } from '../errors/acme-problem-error.js';

/** A request the transport is about to send again: attempt `attempt` of `attempts`, at `at`, and why. */
export interface RequestRetry {
  /** One line: `the CA answered 503: …`, or the network error's first line. */
  readonly reason: string;
  readonly attempt: number;
  readonly attempts: number;
  readonly at: Date;
}

type Listener = (retry: RequestRetry) => void;

const listeners = new AsyncLocalStorage<Listener>();

/**
 * Runs `call` with `listener` told of every request the transport repeats inside it (a network failure, a short
 * 503 waited out). The transport is shared by every order of an account, so the listener is found through the
 * async context of the call, not the transport: each order hears of its own requests only.
 */
export function observeRequestRetries<T>(listener: Listener, call: () => Promise<T>): Promise<T> {
  return listeners.run(listener, call);
}

/** Called by the transport before it waits to send a request again. */
export function reportRequestRetry(retry: RequestRetry): void {
  listeners.getStore()?.(retry);
}

/**
 * Why something is tried again, in a line: `the CA answered 503: service busy`, or an error's first line — not the
 * URL and "Next:" of a full message (it is retried: there is nothing to do yet).
 */
export function retryReason(error: unknown): string {
  if (AcmeProblemError.isInstance(error))
    return `the CA answered ${error.status ?? 'with an error'}${error.detail ? `: ${error.detail}` : ''}`;
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
