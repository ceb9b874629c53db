import { AcmeProblemError, CertkeeperError, isAccountNotValidProblem } from '@certkeeper/core';
import type { EnsureOutcome } from '@certkeeper/policy';
import { formatTime } from './format-time.js';

/** ✓ issued or renewed, = fresh, … deferred, ✗ failed: the live view's mark for a finished certificate. */
export function outcomeSymbol(outcome: EnsureOutcome): string {
  return { issued: '✓', renewed: '✓', fresh: '=', deferred: '…', failed: '✗' }[outcome.type];
}

/**
 * What follows the names on an outcome's line: `issued, valid until …`, `fresh, until … (why); nothing to do`,
 * or the policy's own sentence for a deferral or failure (`deferred until … by …`, `failed (2 in a row), next
 * attempt after …: …`).
 */
export function outcomeText(outcome: EnsureOutcome): string {
  switch (outcome.type) {
    case 'issued':
    case 'renewed':
      return `${outcome.type}, valid until ${formatTime(outcome.certificate.notAfter)}`;
    case 'fresh':
      return `fresh, ${outcome.reason.replace(/^fresh /, '')}; nothing to do`;
    case 'deferred':
      return outcome.reason;
    case 'failed': {
      // The error's code, as a thrown error prints it: the key into docs/errors.md.
      const code = (outcome.error as { code?: unknown } | undefined)?.code;
      const reason =
        typeof code === 'string' && code.startsWith('CERTKEEPER_ERR_') && !outcome.reason.includes(code)
          ? `${outcome.reason} (${code})`
          : outcome.reason;
      const hint = actionableHint(outcome);
      return hint
        ? `${reason}
  Next: ${hint}`
        : reason;
    }
  }
}

function hintOf(error: unknown): string | undefined {
  return CertkeeperError.isInstance(error) ? error.hint : undefined;
}

/**
 * The hint to print with a failure that a person must act on: a local fault (what to change), or an account the CA
 * no longer accepts — deactivated, revoked or unknown — which fails every order until `account register --new`.
 */
function actionableHint(outcome: EnsureOutcome & { type: 'failed' }): string | undefined {
  if (outcome.fault === 'local') return hintOf(outcome.error);
  const error = outcome.error;
  if (
    AcmeProblemError.isInstance(error) &&
    (error.type === 'accountDoesNotExist' || isAccountNotValidProblem(error.type, error.detail))
  )
    return error.hint;
  return undefined;
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
      const hint = actionableHint(outcome);
      return {
        ...base,
        retryAt: outcome.retryAt.toISOString(),
        failures: outcome.failures,
        fault: outcome.fault,
        ...(error?.code ? { code: error.code } : {}),
        ...(hint ? { hint } : {}),
      };
    }
  }
}
