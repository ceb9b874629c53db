import type { ServerResponse } from 'node:http';
import type { FaultAction } from './faults.js';

type StreamAction = Extract<FaultAction, { type: 'stream' }>;

/**
 * Writes a `stream` action's answer: status and headers, then each chunk as the client takes it (waiting for `drain`,
 * so an endless body costs the proxy no memory either), until the chunks end or the client disconnects. Resolves
 * with the body bytes written.
 */
export async function streamResponse(res: ServerResponse, action: StreamAction): Promise<number> {
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  res.writeHead(action.status, { ...action.headers });
  res.flushHeaders();
  let bytes = 0;
  try {
    for await (const chunk of action.chunks(gone.signal)) {
      if (gone.signal.aborted) break;
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += buffer.length;
      if (!res.write(buffer)) await drainedOrGone(res, gone.signal);
    }
  } finally {
    if (!res.writableEnded) res.end();
  }
  return bytes;
}

function drainedOrGone(res: ServerResponse, gone: AbortSignal): Promise<void> {
  if (gone.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      gone.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    gone.addEventListener('abort', done, { once: true });
  });
}
