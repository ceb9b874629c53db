import {
  CertkeeperError,
  type ChallengeTask,
  ErrorCodes,
  formatIdentifier,
  type Identifier,
  type SolverContext,
} from '@certkeeper/core';
import { assertValidKeyAuthorization } from './key-authorization.js';
import { assertValidChallengeToken } from './token.js';

/**
 * Whether http-01 can validate `identifier`. It cannot validate wildcards (RFC 8555 §7.1.3: the CA offers only
 * dns-01 for them); DNS names and IP addresses (RFC 8738) are fine.
 */
export function supportsHttp01(identifier: Identifier, wildcard: boolean): boolean {
  return !wildcard && !identifier.value.startsWith('*.');
}

/**
 * Checks every task before anything is published, so a bad task publishes none of the order's responses.
 * Throws a `CertkeeperError` naming the identifier at fault.
 */
export function checkHttp01Tasks(tasks: readonly ChallengeTask[], context: SolverContext): void {
  throwIfAborted(context, 'publishing http-01 responses');
  for (const task of tasks) {
    const name = formatIdentifier(task.identifier);
    if (task.type !== 'http-01') {
      throw new CertkeeperError(
        ErrorCodes.SOLVER_FAILED,
        `An http-01 solver was given a ${task.type} challenge for ${name}.`,
        { hint: 'Nothing was published. Route each challenge type to a solver of that type.' },
      );
    }
    if (!supportsHttp01(task.identifier, task.wildcard)) {
      throw new CertkeeperError(
        ErrorCodes.SOLVER_FAILED,
        `http-01 cannot validate the wildcard *.${name.replace(/^\*\./, '')}.`,
        { hint: 'Nothing was published. Configure a dns-01 solver for wildcard names.' },
      );
    }
    assertValidChallengeToken(task.token, `http-01 challenge for ${name}:`);
    assertValidKeyAuthorization(task.token, task.keyAuthorization);
  }
}

/** Throws `CERTKEEPER_ERR_ABORTED` when the caller's signal has fired. */
export function throwIfAborted(context: SolverContext, doing: string): void {
  if (context.signal?.aborted) {
    throw new CertkeeperError(ErrorCodes.ABORTED, `Cancelled before ${doing}.`, {
      cause: context.signal.reason,
    });
  }
}
