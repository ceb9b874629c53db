import type {
  ChallengeSolver,
  ChallengeTask,
  Identifier,
  PublicationReceipt,
  SolverContext,
} from '@certkeeper/core';
import { TlsAlpn01ChallengeRegistry } from './challenge-registry.js';
import { readReceiptData, type TlsAlpn01ReceiptData } from './receipt.js';
import { checkTlsAlpn01Tasks, supportsTlsAlpn01 } from './tasks.js';

/**
 * The tls-alpn-01 solver for the hook mode: it publishes into a registry that a running TLS/HTTPS server of
 * this process answers from, through {@link createTlsAlpn01Hook}.
 *
 * - `publish` validates every task first (nothing is published if one is bad), then creates every challenge
 *   certificate; it is idempotent. Receipts carry `{ token }`.
 * - `cleanup` removes exactly the receipts' tokens; unknown tokens are not an error. A malformed receipt is
 *   reported after the others were cleaned up.
 * - `supports` refuses wildcards. Safe for concurrent use by several orders.
 */
export class RegistryTlsAlpn01Solver implements ChallengeSolver {
  readonly type = 'tls-alpn-01' as const;
  /** Responses live in this process's memory: the engine re-publishes them after a crash before answering. */
  readonly volatile = true;
  readonly registry: TlsAlpn01ChallengeRegistry;

  constructor(registry: TlsAlpn01ChallengeRegistry = new TlsAlpn01ChallengeRegistry()) {
    this.registry = registry;
  }

  supports(identifier: Identifier, wildcard: boolean): boolean {
    return supportsTlsAlpn01(identifier, wildcard);
  }

  async publish(tasks: readonly ChallengeTask[], context: SolverContext = {}): Promise<PublicationReceipt[]> {
    checkTlsAlpn01Tasks(tasks, context);
    const receipts: PublicationReceipt[] = [];
    try {
      for (const task of tasks) {
        await this.registry.set(task.identifier, task.token, task.keyAuthorization);
        const data: TlsAlpn01ReceiptData = { token: task.token };
        receipts.push({ authorizationUrl: task.authorizationUrl, type: 'tls-alpn-01', data });
      }
    } catch (error) {
      // All or nothing, like the check above: what this call published goes away again.
      await this.cleanup(receipts);
      throw error;
    }
    return receipts;
  }

  async cleanup(receipts: readonly PublicationReceipt[], _context: SolverContext = {}): Promise<void> {
    // Cleanup ignores the signal: it must run after a cancelled order too.
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
