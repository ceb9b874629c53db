import type {
  ChallengeSolver,
  ChallengeTask,
  Identifier,
  PublicationReceipt,
  SolverContext,
} from '@certkeeper/core';
import { Http01ChallengeRegistry } from './challenge-registry.js';
import { type Http01ReceiptData, readReceiptData } from './receipt.js';
import { checkHttp01Tasks, supportsHttp01 } from './tasks.js';

/**
 * The http-01 solver for the request-handler mode: it publishes into a registry that the application serves
 * with {@link createHttp01Handler} or {@link http01Fastify}, in the same process.
 *
 * - `publish` validates every task first (nothing is published if one is bad), then sets every response; it is
 *   idempotent. Receipts carry `{ token }`.
 * - `cleanup` removes exactly the receipts' tokens; unknown tokens are not an error. A malformed receipt is
 *   reported after the others were cleaned up.
 * - `supports` refuses wildcards. Safe for concurrent use by several orders.
 */
export class RegistryHttp01Solver implements ChallengeSolver {
  readonly type = 'http-01' as const;
  /** Responses live in this process's memory: the engine re-publishes them after a crash before answering. */
  readonly volatile = true;
  readonly registry: Http01ChallengeRegistry;

  constructor(registry: Http01ChallengeRegistry = new Http01ChallengeRegistry()) {
    this.registry = registry;
  }

  supports(identifier: Identifier, wildcard: boolean): boolean {
    return supportsHttp01(identifier, wildcard);
  }

  async publish(tasks: readonly ChallengeTask[], context: SolverContext = {}): Promise<PublicationReceipt[]> {
    checkHttp01Tasks(tasks, context);
    return tasks.map((task) => {
      this.registry.set(task.token, task.keyAuthorization);
      const data: Http01ReceiptData = { token: task.token };
      return { authorizationUrl: task.authorizationUrl, type: 'http-01', data };
    });
  }

  async cleanup(receipts: readonly PublicationReceipt[], _context: SolverContext = {}): Promise<void> {
    // Cleanup ignores the signal: it must run after a cancelled order too (leaving responses served is harmless
    // but untidy; this is cheap and cannot hang).
    let firstError: unknown;
    for (const receipt of receipts) {
      try {
        this.registry.delete(readReceiptData(receipt).token);
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
  }
}
