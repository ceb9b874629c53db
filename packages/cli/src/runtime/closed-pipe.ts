/**
 * `certkeeper status | head -3`, or a log shipper that goes away: the reader closes the pipe and the next write
 * fails with EPIPE. Node reports that as an unhandled 'error' event and dies with a stack trace — in the middle of
 * an order, if one is running. A reader that left wants no more output; the work itself must go on (an issuance
 * half done would be resumed next run, but there is no reason to interrupt it), so further output is dropped.
 */
export function ignoreClosedPipes(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}
