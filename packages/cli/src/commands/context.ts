import type { Logger, SecretRedactor } from '@certkeeper/core';
import { processSecretRedactor, silentLogger } from '@certkeeper/core';
import { redactingStream } from '../output/redacting-stream.js';
import type { GlobalFlags } from '../settings/global-flags.js';
import { resolveSettings } from '../settings/resolve-settings.js';
import type { Settings } from '../settings/settings.js';

/** What every command gets: the flags, the process's streams and environment, and where warnings go. */
export interface CommandContext {
  readonly flags: GlobalFlags;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** stdout and stderr, every write scrubbed of the secrets registered with `redactor`. */
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** The process's redactor: every secret resolved from config, env or flags is registered with it. */
  readonly redactor: SecretRedactor;
  /** Pino JSON logs on stderr with --verbose; silent otherwise (commands print their own results). */
  readonly logger: Logger;
  warn(message: string): void;
  /** Print a result: a line of text, or with --json one JSON document. */
  print(text: string, json: unknown): void;
}

export async function createContext(flags: GlobalFlags): Promise<CommandContext> {
  const redactor = processSecretRedactor();
  const stdout = redactingStream(process.stdout, redactor);
  const stderr = redactingStream(process.stderr, redactor);
  return {
    flags,
    env: process.env,
    cwd: process.cwd(),
    stdout,
    stderr,
    redactor,
    // pino loads only when asked for: a cron `renew` of fresh certificates should start fast.
    logger: flags.verbose
      ? (await import('@certkeeper/manager')).createJsonLogger({
          level: 'debug',
          destination: stderr,
          redactor,
        })
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
  return resolveSettings(context.flags, {
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
    redactor: context.redactor,
  });
}
