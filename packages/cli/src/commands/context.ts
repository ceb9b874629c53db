import type { Logger } from '@certkeeper/core';
import { silentLogger } from '@certkeeper/core';
import type { GlobalFlags } from '../settings/global-flags.js';
import { resolveSettings } from '../settings/resolve-settings.js';
import type { Settings } from '../settings/settings.js';

/** What every command gets: the flags, the process's streams and environment, and where warnings go. */
export interface CommandContext {
  readonly flags: GlobalFlags;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Pino JSON logs on stderr with --verbose; silent otherwise (commands print their own results). */
  readonly logger: Logger;
  warn(message: string): void;
  /** Print a result: a line of text, or with --json one JSON document. */
  print(text: string, json: unknown): void;
}

export async function createContext(flags: GlobalFlags): Promise<CommandContext> {
  const stdout = process.stdout;
  const stderr = process.stderr;
  return {
    flags,
    env: process.env,
    cwd: process.cwd(),
    stdout,
    stderr,
    // pino loads only when asked for: a cron `renew` of fresh certificates should start fast.
    logger: flags.verbose
      ? (await import('@certkeeper/manager')).createJsonLogger({ level: 'debug', destination: stderr })
      : silentLogger,
    warn: (message) => {
      if (flags.json) stdout.write(`${JSON.stringify({ event: 'warning', message })}\n`);
      else stderr.write(`warning: ${message}\n`);
    },
    print: (text, json) => {
      stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
    },
  };
}

export function settingsOf(context: CommandContext): Promise<Settings> {
  return resolveSettings(context.flags, { env: context.env, cwd: context.cwd, warn: context.warn });
}
