import {
  CertkeeperError,
  type ChallengeTask,
  challengeCanProve,
  ErrorCodes,
  formatIdentifier,
  type Identifier,
  type SolverContext,
} from '@certkeeper/core';
import { assertValidChallengeToken, assertValidKeyAuthorization, throwIfAborted } from '@certkeeper/http01';

/** Whether tls-alpn-01 can validate `identifier`: DNS names and IP addresses (RFC 8738 §6), never wildcards. */
export function supportsTlsAlpn01(identifier: Identifier, wildcard: boolean): boolean {
  return challengeCanProve('tls-alpn-01', identifier, wildcard) && !identifier.value.startsWith('*.');
}

/**
 * Checks every task before anything is published, so a bad task publishes none of the order's responses.
 * Throws a `CertkeeperError` naming the identifier at fault.
 */
export function checkTlsAlpn01Tasks(tasks: readonly ChallengeTask[], context: SolverContext): void {
  throwIfAborted(context, 'publishing tls-alpn-01 responses');
  for (const task of tasks) {
    const name = formatIdentifier(task.identifier);
    if (task.type !== 'tls-alpn-01') {
      throw new CertkeeperError(
        ErrorCodes.SOLVER_FAILED,
        `A tls-alpn-01 solver was given a ${task.type} challenge for ${name}.`,
        { hint: 'Nothing was published. Route each challenge type to a solver of that type.' },
      );
    }
    if (!supportsTlsAlpn01(task.identifier, task.wildcard)) {
      throw new CertkeeperError(
        ErrorCodes.SOLVER_FAILED,
        `tls-alpn-01 cannot validate the wildcard *.${name.replace(/^\*\./, '')}.`,
        { hint: 'Nothing was published. Configure a dns-01 solver for wildcard names.' },
      );
    }
    assertValidChallengeToken(task.token, `tls-alpn-01 challenge for ${name}:`);
    assertValidKeyAuthorization(task.token, task.keyAuthorization, 'tls-alpn-01');
  }
}
