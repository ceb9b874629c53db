import { GetChangeCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { callRoute53, sendOptions } from './aws-call.js';

export interface SyncWaitOptions {
  /** Give up waiting after this long. */
  readonly timeoutMs: number;
  /** First poll after this long; later polls back off by half again each time, up to 5 s. */
  readonly intervalMs: number;
}

/**
 * Polls GetChange until Route 53 reports the change INSYNC (applied on every Route 53 authoritative server) or the
 * time limit passes. Resolves `true` when in sync, `false` on timeout: the change was accepted and will apply, and
 * the dns-01 solver checks the authoritative servers itself, so a slow sync is not a failed write.
 *
 * @throws CertkeeperError ABORTED when `signal` aborts; DNS_PROVIDER_FAILED when GetChange fails.
 */
export async function waitForInsync(
  client: Route53Client,
  changeId: string,
  options: SyncWaitOptions,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.intervalMs;
  for (;;) {
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) return false;
    await sleep(wait, signal, changeId);
    const { ChangeInfo } = await callRoute53(
      () => client.send(new GetChangeCommand({ Id: changeId }), sendOptions(signal)),
      `read the status of change ${changeId}`,
    );
    if (ChangeInfo?.Status === 'INSYNC') return true;
    delay = Math.min(delay * 1.5, 5000);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined, changeId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(
        new CertkeeperError(ErrorCodes.ABORTED, `Waiting for Route 53 change ${changeId} was cancelled.`, {
          hint: 'The change itself was accepted; the records are in place or will be shortly.',
        }),
      );
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    if (signal?.aborted) aborted();
    else signal?.addEventListener('abort', aborted, { once: true });
  });
}
