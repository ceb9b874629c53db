import type {
  ChallengeSolver,
  ChallengeTask,
  Identifier,
  PublicationReceipt,
  SolverContext,
} from '@certkeeper/core';
import { ResponderLifecycle } from '@certkeeper/http01';
import { TlsAlpn01ChallengeRegistry } from './challenge-registry.js';
import { RegistryTlsAlpn01Solver } from './registry-solver.js';
import { checkTlsAlpn01Tasks, supportsTlsAlpn01 } from './tasks.js';
import {
  startTlsAlpn01Server,
  type TlsAlpn01Server,
  type TlsAlpn01ServerOptions,
} from './tls-alpn01-server.js';

/** Options of {@link StandaloneTlsAlpn01Solver}: those of the server, plus when to stop it. */
export interface StandaloneTlsAlpn01SolverOptions extends TlsAlpn01ServerOptions {
  /**
   * Stop the server when a cleanup leaves no response published and no prepared order still needs it (it restarts
   * on the next `prepare` or `publish`).
   */
  readonly stopWhenIdle?: boolean;
}

/**
 * The tls-alpn-01 solver that runs its own responder ({@link startTlsAlpn01Server}, `:443` by default).
 *
 * - The server starts on the first `publish` (after every task was validated), or earlier with `start()`.
 *   A failed start rejects `publish` with the listen error and is retried by the next call.
 * - `publish`/`cleanup` follow {@link RegistryTlsAlpn01Solver}; receipts carry `{ token }`.
 * - `stop()` MUST be called when the solver is no longer needed (unless `stopWhenIdle`), or the listening
 *   socket keeps the process alive.
 */
export class StandaloneTlsAlpn01Solver implements ChallengeSolver {
  readonly type = 'tls-alpn-01' as const;
  /** Responses live in this process's memory: the engine re-publishes them after a crash before answering. */
  readonly volatile = true;
  readonly registry: TlsAlpn01ChallengeRegistry;
  readonly #lifecycle: ResponderLifecycle<TlsAlpn01Server>;
  readonly #published: RegistryTlsAlpn01Solver;

  constructor(options: StandaloneTlsAlpn01SolverOptions = {}) {
    this.registry = options.registry ?? new TlsAlpn01ChallengeRegistry();
    this.#lifecycle = new ResponderLifecycle(
      () => startTlsAlpn01Server({ ...options, registry: this.registry }),
      { ...(options.stopWhenIdle ? { stopWhenIdle: true } : {}), serving: () => this.registry.size > 0 },
    );
    this.#published = new RegistryTlsAlpn01Solver(this.registry);
  }

  supports(identifier: Identifier, wildcard: boolean): boolean {
    return supportsTlsAlpn01(identifier, wildcard);
  }

  /** Starts the responder if it is not running; resolves with it. Concurrent calls share one start. */
  start(): Promise<TlsAlpn01Server> {
    return this.#lifecycle.start();
  }

  /**
   * Binds the port for an order about to be placed or resumed ({@link ChallengeSolver.prepare}, under the
   * certificate's lease): runs that coalesce on another run's order never touch the port, and a busy port fails
   * before anything is ordered. The server stays up until every prepared order has released it.
   */
  prepare(context: SolverContext = {}): Promise<() => Promise<void>> {
    return this.#lifecycle.prepare(context.signal);
  }

  /** Stops the responder if it runs (published responses stay in the registry). */
  stop(): Promise<void> {
    return this.#lifecycle.stop();
  }

  async publish(tasks: readonly ChallengeTask[], context: SolverContext = {}): Promise<PublicationReceipt[]> {
    checkTlsAlpn01Tasks(tasks, context);
    return this.#lifecycle.publishThenStart(
      () => this.#published.publish(tasks, context),
      (receipts) => this.#published.cleanup(receipts),
    );
  }

  async cleanup(receipts: readonly PublicationReceipt[], context: SolverContext = {}): Promise<void> {
    try {
      await this.#published.cleanup(receipts, context);
    } finally {
      await this.#lifecycle.stopIfIdle();
    }
  }
}
