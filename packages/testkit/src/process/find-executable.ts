import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The path of an executable: `command` itself when it contains a slash, else the first match on PATH.
 * Undefined when there is none, so a caller can say what to install instead of failing later with a spawn error
 * (which a wrapper such as setpriv would turn into a bare exit code).
 */
export function findExecutable(command: string): string | undefined {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).map((dir) => join(dir, command));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
