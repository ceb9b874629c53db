import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** Whether `path` is `root` or below it. Both MUST be absolute and already resolved (no symlinks, no `..`). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Resolves every symlink in `path` and checks that the result stays inside `realRoot`; returns the real path.
 * Throws `CERTKEEPER_ERR_UNSAFE_PATH` when a symlink leads out, so no file is ever written or removed outside
 * the webroot a person configured. Filesystem errors (ENOENT…) are passed through for the caller to judge.
 */
export async function realPathInside(realRoot: string, path: string): Promise<string> {
  const real = await realpath(path);
  if (!isInside(realRoot, real)) {
    throw new CertkeeperError(
      ErrorCodes.UNSAFE_PATH,
      `Refusing to use ${path}: it resolves to ${real}, outside the webroot ${realRoot}.`,
      {
        hint:
          'Nothing was written. Remove the symlink, or set webroot to the directory the web server serves ' +
          '/.well-known/acme-challenge/ from.',
      },
    );
  }
  return real;
}
