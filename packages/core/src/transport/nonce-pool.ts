/**
 * Nonces handed out by the CA in `Replay-Nonce` headers (RFC 8555 §7.2), kept for the next signed request.
 * Every response feeds the pool, so `newNonce` is only asked when it is empty. A nonce is taken out when it is
 * used and never put back: a retry is always signed with a fresh one.
 */
export class NoncePool {
  private readonly nonces: string[] = [];

  constructor(private readonly capacity = 32) {}

  add(nonce: string | undefined): void {
    if (!nonce || !/^[A-Za-z0-9_-]+$/.test(nonce)) return;
    this.nonces.push(nonce);
    // Old nonces are the likeliest to have expired at the CA: drop from the front.
    if (this.nonces.length > this.capacity) this.nonces.shift();
  }

  /** The newest nonce, removed from the pool; undefined when empty. */
  take(): string | undefined {
    return this.nonces.pop();
  }

  get size(): number {
    return this.nonces.length;
  }
}
