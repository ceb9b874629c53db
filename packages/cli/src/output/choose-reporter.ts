import { JsonReporter } from './json-reporter.js';
import { PlainReporter } from './plain-reporter.js';
import type { Reporter } from './reporter.js';

/** JSON lines with `--json`; the live view on a terminal (unless TERM=dumb); plain lines otherwise. */
export async function chooseReporter(options: { json?: boolean }): Promise<Reporter> {
  if (options.json) return new JsonReporter();
  if (process.stdout.isTTY && process.env.TERM !== 'dumb') {
    const { LiveView } = await import('./live-view.js');
    return new LiveView(process.stdout);
  }
  return new PlainReporter();
}
