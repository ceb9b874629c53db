import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Where Node keeps certkeeper's compiled code between runs: $XDG_CACHE_HOME/certkeeper/compile-cache, else ~/.cache. */
export function compileCacheDirectory(env: NodeJS.ProcessEnv, home: () => string = homedir): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home(), '.cache'), 'certkeeper', 'compile-cache');
}

/**
 * Turn on Node's module compile cache before the first certkeeper module loads: a cron `renew` or a one-off
 * `issue` compiles the same few hundred files every time, and the cache saves most of that (issue 13). Best
 * effort — an unwritable cache directory only means a slower start, and NODE_DISABLE_COMPILE_CACHE is honoured
 * by Node itself; NODE_COMPILE_CACHE, when set, wins over our directory.
 */
export function enableModuleCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  try {
    enableCompileCache(env.NODE_COMPILE_CACHE || compileCacheDirectory(env));
  } catch {
    // A home directory that cannot be found: start without the cache.
  }
}
