import type { EnsureOutcome } from '@certkeeper/policy';
import { formatTime } from './format-time.js';

/** The one-word result and its symbol, as the live view and plain lines print them. */
export function outcomeLabel(outcome: EnsureOutcome): { readonly symbol: string; readonly word: string } {
  switch (outcome.type) {
    case 'issued':
      return { symbol: '✓', word: 'issued' };
    case 'renewed':
      return { symbol: '✓', word: 'renewed' };
    case 'fresh':
      return { symbol: '=', word: 'fresh' };
    case 'deferred':
      return { symbol: '…', word: 'deferred' };
    case 'failed':
      return { symbol: '✗', word: 'failed' };
  }
}

/** What follows the names: until when it is fresh or valid, when the next try is, or why it failed. */
export function outcomeSummary(outcome: EnsureOutcome): string {
  switch (outcome.type) {
    case 'issued':
    case 'renewed':
      return `valid until ${formatTime(outcome.certificate.notAfter)}`;
    case 'fresh':
      return `${outcome.reason.replace(/^fresh /, '')}; nothing to do`;
    case 'deferred':
      return outcome.reason;
    case 'failed':
      return outcome.reason;
  }
}

/** The outcome as plain JSON (the error as code and message; never a key). */
export function outcomeJson(names: readonly string[], outcome: EnsureOutcome): Record<string, unknown> {
  const base = {
    event: 'outcome',
    names,
    type: outcome.type,
    reason: outcome.reason,
    joined: outcome.joined,
  };
  switch (outcome.type) {
    case 'issued':
    case 'renewed':
      return {
        ...base,
        notAfter: outcome.certificate.notAfter,
        serial: outcome.certificate.serialNumberHex,
        due: outcome.due,
        ...(outcome.replaced ? { replaced: outcome.replaced } : {}),
      };
    case 'fresh':
      return {
        ...base,
        notAfter: outcome.certificate.notAfter,
        nextCheckAt: outcome.nextCheckAt.toISOString(),
      };
    case 'deferred':
      return {
        ...base,
        until: outcome.until.toISOString(),
        ...(outcome.limit ? { limit: outcome.limit } : {}),
      };
    case 'failed': {
      const error = outcome.error as { code?: string; message?: string } | undefined;
      return {
        ...base,
        retryAt: outcome.retryAt.toISOString(),
        failures: outcome.failures,
        ...(error?.code ? { code: error.code } : {}),
      };
    }
  }
}
