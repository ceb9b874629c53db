import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The FileStore's directory when none is configured: `$XDG_DATA_HOME/certkeeper` when XDG_DATA_HOME is an
 * absolute path (the XDG Base Directory spec says to ignore a relative one), else `~/.local/share/certkeeper`.
 */
export function defaultStoreDirectory(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const xdg = env.XDG_DATA_HOME;
  return xdg && isAbsolute(xdg) ? join(xdg, 'certkeeper') : join(home, '.local', 'share', 'certkeeper');
}
