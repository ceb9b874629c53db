/**
 * Nonces handed out by the CA in `Replay-Nonce` headers (RFC 8555 §7.2), kept for the next signed request.
 * Every response feeds the pool, so `newNonce` is only asked when it is empty. A nonce is taken out when it is
 * used and never put back: a retry is always signed with a fresh one.
 *
 * Several certificates in flight share one pool. The pool also counts the requests on their way ({@link sending}
 * to {@link answered}): a request that finds it empty while others are on their way can wait for one of their
 * answers ({@link next}) instead of asking newNonce — each answer brings a nonce, and it goes to the longest waiter.
 */
export class NoncePool {
  private readonly nonces: string[] = [];
  private readonly waiters: ((nonce: string | undefined) => void)[] = [];
  private pending = 0;

  constructor(private readonly capacity = 32) {}

  add(nonce: string | undefined): void {
    if (!nonce || !/^[A-Za-z0-9_-]+$/.test(nonce)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      // Counted from the hand-over on: the waiter sends with it, and its answer brings the next nonce.
      this.pending++;
      waiter(nonce);
      return;
    }
    this.nonces.push(nonce);
    // Old nonces are the likeliest to have expired at the CA: drop from the front.
    if (this.nonces.length > this.capacity) this.nonces.shift();
  }

  /** The newest nonce, removed from the pool; undefined when empty. */
  take(): string | undefined {
    return this.nonces.pop();
  }

  /**
   * The newest nonce for a request about to be sent, counted as on its way until {@link answered}; undefined when
   * the pool is empty (nothing counted then).
   */
  claim(): string | undefined {
    const nonce = this.nonces.pop();
    if (nonce) this.pending++;
    return nonce;
  }

  /** A request is on its way with a nonce from elsewhere (newNonce), or needs none (a GET): its answer feeds the pool. */
  sending(): void {
    this.pending++;
  }

  /** The answer of a request counted as on its way, with its nonce if it had one (none after a network failure). */
  answered(nonce: string | undefined): void {
    this.pending--;
    this.add(nonce);
    // Nothing left on its way: no answer will come for the ones still waiting; they ask newNonce now.
    if (this.pending === 0) for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  /** Requests counted as on their way: each answer will bring a nonce. */
  get onTheirWay(): number {
    return this.pending;
  }

  /**
   * A nonce for a request about to be sent (counted as on its way, like {@link claim}): the pool's newest, else the
   * next one an answer brings; undefined after `maxWaitMs`, on `signal`, or when nothing is on its way any more (a
   * nonce that comes later goes to the pool as usual).
   */
  next(maxWaitMs: number, signal?: AbortSignal): Promise<string | undefined> {
    const pooled = this.claim();
    if (pooled || signal?.aborted || this.pending === 0) return Promise.resolve(pooled);
    return new Promise((resolve) => {
      const done = (nonce: string | undefined) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        resolve(nonce);
      };
      const giveUp = () => {
        const index = this.waiters.indexOf(done);
        if (index >= 0) this.waiters.splice(index, 1);
        done(undefined);
      };
      const timer = setTimeout(giveUp, maxWaitMs);
      signal?.addEventListener('abort', giveUp, { once: true });
      this.waiters.push(done);
    });
  }

  /** Callers waiting in {@link next}. */
  get waiting(): number {
    return this.waiters.length;
  }

  get size(): number {
    return this.nonces.length;
  }
}
