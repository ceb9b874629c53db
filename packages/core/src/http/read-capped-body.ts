/** A response body as the HTTP layer hands it over: chunks, and a way to stop reading (which closes the connection). */
export interface BodyStream extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
}

/** How many bytes were read so far: kept outside, so a deadline that interrupts the read can still report it. */
export interface ReadProgress {
  bytes: number;
}

/** Thrown by {@link readCappedBody} when the body outgrows its cap; the caller turns it into a typed error. */
export class BodyLimitExceeded extends Error {
  constructor(
    readonly limitBytes: number,
    readonly bytesRead: number,
  ) {
    super(`response body exceeds ${limitBytes} bytes`);
  }
}

/**
 * Read a body up to `limitBytes`, never more than one network chunk past it: past the cap the stream is destroyed
 * and {@link BodyLimitExceeded} thrown, so an endless body costs at most the cap in memory (Go's
 * `http.MaxBytesReader` does the same). Reading happens chunk by chunk; nothing is buffered ahead.
 */
export async function readCappedBody(
  body: BodyStream,
  limitBytes: number,
  progress: ReadProgress = { bytes: 0 },
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) {
    progress.bytes += chunk.byteLength;
    if (progress.bytes > limitBytes) {
      const error = new BodyLimitExceeded(limitBytes, progress.bytes);
      body.destroy();
      throw error;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
