import { JsonReporter } from './json-reporter.js';
import { PlainReporter } from './plain-reporter.js';
import type { Reporter } from './reporter.js';

/**
 * JSON lines with `--json`; the live view on a terminal (unless TERM=dumb); plain lines otherwise. Writes go to
 * the command's streams, which scrub secrets (see redacting-stream.ts).
 */
export async function chooseReporter(
  options: { json?: boolean },
  streams: { readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WriteStream },
): Promise<Reporter> {
  if (options.json) return new JsonReporter(streams.stdout);
  if (streams.stdout.isTTY && process.env.TERM !== 'dumb') {
    const { LiveView } = await import('./live-view.js');
    return new LiveView(streams.stdout);
  }
  return new PlainReporter(streams.stdout, streams.stderr);
}
