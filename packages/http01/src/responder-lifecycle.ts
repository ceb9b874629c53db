/** How a {@link ResponderLifecycle} shares its port with other processes. */
export interface ResponderPortLock {
  /**
   * Taken before the port is bound, given back (the function it resolves with) once the server has stopped: the CLI
   * passes a store lease, so the runs sharing a store take turns on the port.
   */
  readonly lock: (signal?: AbortSignal) => Promise<() => Promise<void>>;
  /** What a failed start under the lock becomes: a port busy while holding it is held by another program. */
  readonly busyUnderLock?: (error: unknown) => unknown;
}

/** When a responder may stop on its own: `stopWhenIdle`, and whether it still has responses to serve. */
export interface ResponderIdleRule {
  readonly stopWhenIdle?: boolean;
  /** True while any response is published (the solver's registry is not empty). */
  readonly serving: () => boolean;
}

/**
 * Starts and stops one standalone responder for a solver (http-01, tls-alpn-01): concurrent `start()` calls share
 * one start, a failed start is retried by the next call, and a start waits for a stop in progress (which still
 * holds the port). With a port lock, the lock is held from before the bind until after the stop. With
 * `stopWhenIdle`, it stops once nothing is published and no prepared order needs it.
 */
export class ResponderLifecycle<Server extends { stop(): Promise<void> }> {
  readonly #startServer: () => Promise<Server>;
  readonly #portLock: ResponderPortLock | undefined;
  readonly #idle: ResponderIdleRule;
  #starting: Promise<Server> | undefined;
  #stopping: Promise<void> | undefined;
  /** Gives the port lock back; set while the server holds the port. */
  #unlock: (() => Promise<void>) | undefined;
  #prepared = 0;

  constructor(startServer: () => Promise<Server>, idle: ResponderIdleRule, portLock?: ResponderPortLock) {
    this.#startServer = startServer;
    this.#idle = idle;
    this.#portLock = portLock;
  }

  /** Starts the responder if it is not running; resolves with it. */
  start(signal?: AbortSignal): Promise<Server> {
    this.#starting ??= (async () => {
      // A stop in progress still holds the port; binding before it is released would fail with EADDRINUSE.
      await this.#stopping;
      const unlock = await this.#portLock?.lock(signal);
      try {
        const server = await this.#startServer();
        this.#unlock = unlock;
        return server;
      } catch (error) {
        await unlock?.();
        throw unlock && this.#portLock?.busyUnderLock ? this.#portLock.busyUnderLock(error) : error;
      }
    })().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  /**
   * Binds the port for an order about to be placed or resumed (`ChallengeSolver.prepare`); the responder stays up
   * until every prepared order has called the returned release (and, with `stopWhenIdle`, stops then).
   */
  async prepare(signal?: AbortSignal): Promise<() => Promise<void>> {
    await this.start(signal);
    this.#prepared++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.#prepared--;
      await this.stopIfIdle();
    };
  }

  /**
   * A solver's `publish`: the responses go in before the server is (re)started — a concurrent cleanup with
   * `stopWhenIdle` then sees them and does not stop the server under this order — and are taken back (`unpublish`)
   * when it cannot start.
   */
  async publishThenStart<Receipts>(
    publish: () => Promise<Receipts>,
    unpublish: (receipts: Receipts) => Promise<void>,
  ): Promise<Receipts> {
    const receipts = await publish();
    try {
      await this.start();
    } catch (error) {
      await unpublish(receipts);
      throw error;
    }
    return receipts;
  }

  /** With `stopWhenIdle`: stops once nothing is published and no prepared order needs the responder. */
  async stopIfIdle(): Promise<void> {
    if (this.#idle.stopWhenIdle && this.#prepared === 0 && !this.#idle.serving()) await this.stop();
  }

  /** Stops the responder if it runs, then gives the port lock back. */
  async stop(): Promise<void> {
    const starting = this.#starting;
    if (!starting) return this.#stopping;
    this.#starting = undefined;
    const stopping = starting.then(
      async (server) => {
        await server.stop();
        const unlock = this.#unlock;
        this.#unlock = undefined;
        await unlock?.();
      },
      () => undefined,
    );
    this.#stopping = stopping;
    await stopping;
    if (this.#stopping === stopping) this.#stopping = undefined;
  }
}
