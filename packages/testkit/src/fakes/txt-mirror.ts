import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/**
 * Where a fake publishes the TXT values it holds, so a real resolver (Pebble's VA) can see them. The testkit's
 * `ChalltestsrvClient` (`PebbleHandle.challtestsrv`) has exactly these methods.
 */
export interface TxtMirror {
  addTxt(host: string, value: string): Promise<void>;
  clearTxt(host: string): Promise<void>;
}

/** The values now at one name (an empty list clears it). */
export interface MirroredName {
  readonly host: string;
  readonly values: readonly string[];
}

/**
 * Serialises mirror writes: challtestsrv can only clear a name and add values back, so two interleaved updates of
 * one name would leave a mix. Each update carries the name's values at the time it is run (`snapshot` is called
 * then), so the last update wins correctly. Shared by the Route 53 and Cloudflare fakes.
 */
export class TxtMirrorQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly failures: unknown[] = [];

  /**
   * `propagationDelayMs` reproduces a service whose nameservers serve a change some time after its API accepted it
   * (deSEC, Gandi): each update reaches the mirror that long after it was made, in order.
   */
  constructor(
    private readonly mirror: TxtMirror | undefined,
    private readonly options: { readonly propagationDelayMs?: number } = {},
  ) {}

  publish(snapshot: () => readonly MirroredName[]): Promise<void> {
    const mirror = this.mirror;
    if (!mirror) return Promise.resolve();
    const due = Date.now() + (this.options.propagationDelayMs ?? 0);
    const run = async () => {
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      for (const { host, values } of snapshot()) {
        await mirror.clearTxt(host);
        for (const value of values) await mirror.addTxt(host, value);
      }
    };
    this.tail = this.tail.then(run, run);
    // Kept for settled(): a fake's write path does not wait for the mirror, so a failure surfaces there.
    this.tail.catch((error: unknown) => this.failures.push(error));
    return this.tail;
  }

  /** Resolves once every queued write has finished (failures included). */
  async idle(): Promise<void> {
    await this.tail.catch(() => undefined);
  }

  /** Waits like {@link idle}, then throws the first write that failed, naming the fake (`what`). */
  async settled(what: string): Promise<void> {
    await this.idle();
    if (this.failures.length === 0) return;
    throw new CertkeeperError(
      ErrorCodes.TEST_HARNESS,
      `The fake ${what} could not mirror TXT records: ${String(this.failures[0])}`,
      { hint: 'Check that the mirror (pebble-challtestsrv) is still running.', cause: this.failures[0] },
    );
  }
}
