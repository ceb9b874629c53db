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

/**
 * Starts and stops one standalone responder for a solver: concurrent `start()` calls share one start, a failed
 * start is retried by the next call, and a start waits for a stop in progress (which still holds the port). With a
 * port lock, the lock is held from before the bind until after the stop.
 */
export class ResponderLifecycle<Server extends { stop(): Promise<void> }> {
  readonly #startServer: () => Promise<Server>;
  readonly #portLock: ResponderPortLock | undefined;
  #starting: Promise<Server> | undefined;
  #stopping: Promise<void> | undefined;
  /** Gives the port lock back; set while the server holds the port. */
  #unlock: (() => Promise<void>) | undefined;
  #prepared = 0;

  constructor(startServer: () => Promise<Server>, portLock?: ResponderPortLock) {
    this.#startServer = startServer;
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

  /** Orders between `prepare` and its release: the responder stays up for them even with nothing published. */
  get prepared(): number {
    return this.#prepared;
  }

  /**
   * Binds the port for an order about to be placed or resumed (`ChallengeSolver.prepare`); the returned release,
   * called once the order ends, runs `afterRelease` (a solver's stop-when-idle check).
   */
  async prepare(
    signal: AbortSignal | undefined,
    afterRelease: () => Promise<void>,
  ): Promise<() => Promise<void>> {
    await this.start(signal);
    this.#prepared++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.#prepared--;
      await afterRelease();
    };
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
