import type { OrderProgress } from '@certkeeper/manager';
import { formatClock } from './format-time.js';

/**
 * The line for a `lease` progress event: `waiting for process 4242 on web-1 (certkeeper renew), which holds a.test
 * until 13:45:12 UTC`, or, when this run took the lease over, who held it and why it could. Undefined for any
 * other event.
 */
export function leaseText(progress: OrderProgress): string | undefined {
  if (progress.phase !== 'lease' || !progress.holder) return undefined;
  const names = progress.identifiers.join(', ');
  if (progress.takenOver)
    return `took over ${names} from ${progress.holder}, ${
      progress.takenOver === 'dead' || !progress.until
        ? 'which no longer runs'
        : `whose lease ran out at ${formatClock(progress.until)}`
    }`;
  return `waiting for ${progress.holder}, which holds ${names}${progress.until ? ` until ${formatClock(progress.until)}` : ''}`;
}
