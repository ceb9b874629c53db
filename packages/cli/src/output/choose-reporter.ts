import { JsonReporter } from './json-reporter.js';
import { LiveView } from './live-view.js';
import { PlainReporter } from './plain-reporter.js';
import type { Reporter } from './reporter.js';

/** JSON lines with `--json`; the live view on a terminal (unless TERM=dumb); plain lines otherwise. */
export function chooseReporter(options: { json?: boolean }): Reporter {
  if (options.json) return new JsonReporter();
  if (process.stdout.isTTY && process.env.TERM !== 'dumb') return new LiveView(process.stdout);
  return new PlainReporter();
}
