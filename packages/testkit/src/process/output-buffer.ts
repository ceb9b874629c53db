/**
 * The most recent output of a child process, bounded so that a chatty server (Pebble logs every request) cannot
 * grow a long test run's memory. Older text is dropped from the front, at a line boundary when there is one.
 */
export class OutputBuffer {
  #text = '';

  constructor(private readonly maxChars = 64 * 1024) {}

  append(chunk: string | Buffer): void {
    this.#text += chunk.toString();
    if (this.#text.length > this.maxChars) {
      const cut = this.#text.length - this.maxChars;
      const nextLine = this.#text.indexOf('\n', cut);
      this.#text = this.#text.slice(nextLine === -1 ? cut : nextLine + 1);
    }
  }

  /** Everything still held. */
  text(): string {
    return this.#text;
  }

  /** The last `lines` lines, for error messages. */
  tail(lines = 20): string {
    return this.#text.trimEnd().split('\n').slice(-lines).join('\n');
  }
}
