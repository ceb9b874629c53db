import { toProviderError } from './route53-errors.js';

/**
 * Runs one SDK call (the SDK has already retried throttling, 5xx and network errors by then) and turns a failure
 * into the port's typed error naming `operation` and `zone`.
 */
export async function callRoute53<T>(run: () => Promise<T>, operation: string, zone?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toProviderError(error, operation, zone);
  }
}

/** The SDK's per-call options for an optional AbortSignal. */
export function sendOptions(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}
