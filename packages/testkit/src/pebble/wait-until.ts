export interface WaitUntilOptions {
  /** Absolute time (ms since epoch) after which the wait gives up. */
  readonly deadline: number;
  /** Pause between attempts. Short: the point of the harness is a fast start. */
  readonly intervalMs?: number;
  /** Checked before each attempt; a returned reason stops the wait at once (the server process died). */
  readonly stopIf?: () => string | undefined;
}

export type WaitResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string; readonly lastError?: unknown };

/**
 * Calls `attempt` until it resolves, the deadline passes or `stopIf` reports a reason. Never throws: the caller
 * turns a failure into an error that carries the server's output.
 */
export async function waitUntil<T>(
  attempt: () => Promise<T>,
  options: WaitUntilOptions,
): Promise<WaitResult<T>> {
  let lastError: unknown;
  for (;;) {
    const stopped = options.stopIf?.();
    if (stopped !== undefined) return { ok: false, reason: stopped, lastError };
    try {
      return { ok: true, value: await attempt() };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= options.deadline) return { ok: false, reason: 'deadline passed', lastError };
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 15));
  }
}
