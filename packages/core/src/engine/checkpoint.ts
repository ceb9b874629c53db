import { removesRecordsEarly } from './early-cleanup.js';
import { isFinished, type OrderState } from './order-state.js';
import type { StepResult } from './step-result.js';

/**
 * What an order learns that a resumed run finds again by itself: the steps that produce these re-read the CA
 * (authorizations, the order's status and certificate URL) or are idempotent against it (answering an answered
 * challenge, finalizing a finalized order, polling). A state that changed only these need not be made durable
 * before the next step: a run that dies before the next checkpoint resumes from the last one and repeats a few
 * requests, but never places a second order, loses a published response's receipt or an issued certificate.
 */
const REDISCOVERABLE: ReadonlySet<string> = new Set<keyof OrderState>([
  'phase',
  'phaseStartedAt',
  'attempts',
  'nextActionAt',
  'updatedAt',
  'authorizations',
  'orderStatus',
  'certificateUrl',
  // Timing notes only: a resumed run that lost them learns nothing from this order, and polls as before.
  'pollTiming',
]);

/** A wait at least this long is written down first, so `status` shows it and a resumed run waits it out too. */
export const CHECKPOINT_BEFORE_WAITS_MS = 1_000;

/**
 * Whether `next` must be stored before the order goes on, when `written` is the last state stored (undefined:
 * nothing yet). Always for the first state, a finished one, one followed by a long wait, and the first finalized
 * state that holds DNS records (runOrder removes them from then on); otherwise only when
 * something a resumed run could not find again changed — the order intent and URL (a second newOrder), the
 * receipts (what cleanup removes), the key or CSR, the certificate, a failure.
 *
 * For in-process drivers (`runOrder`'s `onState`): a job queue that runs one step per job stores every state.
 */
export function checkpointNeeded(
  written: OrderState | undefined,
  next: OrderState,
  then?: StepResult['next'],
  now: Date = new Date(),
): boolean {
  if (!written || isFinished(next)) return true;
  // runOrder removes DNS records once the order is finalized: a crash must not resume before that point, where the
  // run would wait for records that are gone. One write per dns-01 order, in the CA's issuing time.
  if (removesRecordsEarly(next) && !removesRecordsEarly(written)) return true;
  if (then?.type === 'wait' && then.until.getTime() - now.getTime() >= CHECKPOINT_BEFORE_WAITS_MS)
    return true;
  const keys = new Set([...Object.keys(written), ...Object.keys(next)]);
  for (const key of keys) {
    if (REDISCOVERABLE.has(key)) continue;
    const before = (written as unknown as Record<string, unknown>)[key];
    const after = (next as unknown as Record<string, unknown>)[key];
    if (before !== after && JSON.stringify(before) !== JSON.stringify(after)) return true;
  }
  return false;
}
