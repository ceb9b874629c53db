import type {
  ChallengeSolver,
  ChallengeTask,
  Identifier,
  PublicationReceipt,
  SolverContext,
} from '@certkeeper/core';
import { Http01ChallengeRegistry } from './challenge-registry.js';
import { type Http01Server, type Http01ServerOptions, startHttp01Server } from './http01-server.js';
import { foreignPortError, Http01ListenError } from './listen-error.js';
import { RegistryHttp01Solver } from './registry-solver.js';
import { ResponderLifecycle } from './responder-lifecycle.js';
import { checkHttp01Tasks, supportsHttp01 } from './tasks.js';

/** Options of {@link StandaloneHttp01Solver}: those of the server, plus when to stop it. */
export interface StandaloneHttp01SolverOptions extends Http01ServerOptions {
  /**
   * Stop the server when a cleanup leaves no response published and no prepared order still needs it (it restarts
   * on the next `prepare` or `publish`).
   */
  readonly stopWhenIdle?: boolean;
  /**
   * Taken before the port is bound, given back (the function it resolves with) once the server has stopped: the CLI
   * passes a store lease, so the runs sharing a store take turns on the port — and a port found busy while holding
   * it is held by a program that is not one of them ({@link foreignPortError}).
   */
  readonly portLock?: (signal?: AbortSignal) => Promise<() => Promise<void>>;
  /** What a person changes to listen elsewhere (`--http-listen <host:port>`), for the busy-port message. */
  readonly portOption?: string;
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
  readonly #lifecycle: ResponderLifecycle<Http01Server>;
  readonly #published: RegistryHttp01Solver;

  constructor(options: StandaloneHttp01SolverOptions = {}) {
    this.registry = options.registry ?? new Http01ChallengeRegistry();
    const { portLock, portOption } = options;
    this.#lifecycle = new ResponderLifecycle(
      () => startHttp01Server({ ...options, registry: this.registry }),
      { ...(options.stopWhenIdle ? { stopWhenIdle: true } : {}), serving: () => this.registry.size > 0 },
      portLock && {
        lock: portLock,
        // Under the lock no run of ours holds the port: whoever does is another program.
        busyUnderLock: (error) =>
          error instanceof Http01ListenError && error.reason === 'address-in-use'
            ? foreignPortError(error, portOption)
            : error,
      },
    );
    this.#published = new RegistryHttp01Solver(this.registry);
  }

  supports(identifier: Identifier, wildcard: boolean): boolean {
    return supportsHttp01(identifier, wildcard);
  }

  /**
   * Starts the responder if it is not running (taking the port lock first, when there is one); resolves with it.
   * Concurrent calls share one start.
   */
  start(signal?: AbortSignal): Promise<Http01Server> {
    return this.#lifecycle.start(signal);
  }

  /**
   * Binds the port for an order about to be placed or resumed ({@link ChallengeSolver.prepare}); the server stays
   * up until every prepared order has released it (and, with `stopWhenIdle`, stops then).
   */
  prepare(context: SolverContext = {}): Promise<() => Promise<void>> {
    return this.#lifecycle.prepare(context.signal);
  }

  /** Stops the responder if it runs (published responses stay in the registry). */
  stop(): Promise<void> {
    return this.#lifecycle.stop();
  }

  async publish(tasks: readonly ChallengeTask[], context: SolverContext = {}): Promise<PublicationReceipt[]> {
    checkHttp01Tasks(tasks, context);
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
