import type {
  ChallengeSolver,
  ChallengeTask,
  Identifier,
  PublicationReceipt,
  SolverContext,
} from '@certkeeper/core';
import { Http01ChallengeRegistry } from './challenge-registry.js';
import { type Http01Server, type Http01ServerOptions, startHttp01Server } from './http01-server.js';
import { RegistryHttp01Solver } from './registry-solver.js';
import { ResponderLifecycle } from './responder-lifecycle.js';
import { checkHttp01Tasks, supportsHttp01 } from './tasks.js';

/** Options of {@link StandaloneHttp01Solver}: those of the server, plus when to stop it. */
export interface StandaloneHttp01SolverOptions extends Http01ServerOptions {
  /** Stop the server when a cleanup leaves no response published (it restarts on the next publish). */
  readonly stopWhenIdle?: boolean;
}

/**
 * The http-01 solver that runs its own responder ({@link startHttp01Server}).
 *
 * - The server starts on the first `publish` (after every task was validated), or earlier with `start()`.
 *   A failed start rejects `publish` with the `Http01ListenError` and is retried by the next call.
 * - `publish`/`cleanup` follow {@link RegistryHttp01Solver}; receipts carry `{ token }`.
 * - `stop()` MUST be called when the solver is no longer needed (unless `stopWhenIdle`), or the listening
 *   socket keeps the process alive.
 */
export class StandaloneHttp01Solver implements ChallengeSolver {
  readonly type = 'http-01' as const;
  /** Responses live in this process's memory: the engine re-publishes them after a crash before answering. */
  readonly volatile = true;
  readonly registry: Http01ChallengeRegistry;
  readonly #options: StandaloneHttp01SolverOptions;
  readonly #lifecycle: ResponderLifecycle<Http01Server>;
  readonly #published: RegistryHttp01Solver;

  constructor(options: StandaloneHttp01SolverOptions = {}) {
    this.#options = options;
    this.registry = options.registry ?? new Http01ChallengeRegistry();
    this.#lifecycle = new ResponderLifecycle(() =>
      startHttp01Server({ ...options, registry: this.registry }),
    );
    this.#published = new RegistryHttp01Solver(this.registry);
  }

  supports(identifier: Identifier, wildcard: boolean): boolean {
    return supportsHttp01(identifier, wildcard);
  }

  /** Starts the responder if it is not running; resolves with it. Concurrent calls share one start. */
  start(): Promise<Http01Server> {
    return this.#lifecycle.start();
  }

  /** Stops the responder if it runs (published responses stay in the registry). */
  stop(): Promise<void> {
    return this.#lifecycle.stop();
  }

  async publish(tasks: readonly ChallengeTask[], context: SolverContext = {}): Promise<PublicationReceipt[]> {
    checkHttp01Tasks(tasks, context);
    // Responses go in before the server is (re)started: a concurrent cleanup with `stopWhenIdle` then sees
    // them and does not stop the server under this order.
    const receipts = await this.#published.publish(tasks, context);
    try {
      await this.start();
    } catch (error) {
      await this.#published.cleanup(receipts);
      throw error;
    }
    return receipts;
  }

  async cleanup(receipts: readonly PublicationReceipt[], context: SolverContext = {}): Promise<void> {
    try {
      await this.#published.cleanup(receipts, context);
    } finally {
      if (this.#options.stopWhenIdle && this.registry.size === 0) await this.stop();
    }
  }
}
