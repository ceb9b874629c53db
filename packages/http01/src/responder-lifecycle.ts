/**
 * Starts and stops one standalone responder for a solver: concurrent `start()` calls share one start, a failed
 * start is retried by the next call, and a start waits for a stop in progress (which still holds the port).
 */
export class ResponderLifecycle<Server extends { stop(): Promise<void> }> {
  readonly #startServer: () => Promise<Server>;
  #starting: Promise<Server> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(startServer: () => Promise<Server>) {
    this.#startServer = startServer;
  }

  /** Starts the responder if it is not running; resolves with it. */
  start(): Promise<Server> {
    this.#starting ??= (async () => {
      // A stop in progress still holds the port; binding before it is released would fail with EADDRINUSE.
      await this.#stopping;
      return this.#startServer();
    })().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  /** Stops the responder if it runs. */
  async stop(): Promise<void> {
    const starting = this.#starting;
    if (!starting) return this.#stopping;
    this.#starting = undefined;
    const stopping = starting.then(
      (server) => server.stop(),
      () => undefined,
    );
    this.#stopping = stopping;
    await stopping;
    if (this.#stopping === stopping) this.#stopping = undefined;
  }
}
