import { AbortedError } from '../errors/transport-errors.js';

/** Wait `ms`, or reject with AbortedError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError('Waiting', signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError('Waiting', signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
