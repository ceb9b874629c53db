import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { realPathInside } from './contained-path.js';

/**
 * Removes `<realRoot>/.well-known/acme-challenge/<token>` and temporary files a crash left for that token.
 * Missing files are not an error; a challenge directory that is a symlink out of the webroot is refused.
 * The token MUST have been validated.
 */
export async function removeResponse(realRoot: string, token: string): Promise<void> {
  const directory = await realPathInside(realRoot, join(realRoot, '.well-known', 'acme-challenge')).catch(
    ignoreMissing,
  );
  if (directory === undefined) return;
  const temporary = new RegExp(`^\\.${token}\\.[0-9a-f]{12}\\.tmp$`);
  const names = (await readdir(directory).catch(ignoreMissing)) ?? [];
  const leftovers = names.filter((name) => temporary.test(name));
  for (const name of [token, ...leftovers]) {
    await unlink(join(directory, name)).catch(ignoreMissing);
  }
}

/** Removes `directory` if it is an empty, real directory; anything else is left alone. */
export async function removeEmptyDirectory(directory: string): Promise<void> {
  const stats = await lstat(directory).catch(ignoreMissing);
  // Only a real directory: if someone replaced it with a symlink since, it is not ours any more.
  if (!stats?.isDirectory()) return;
  await rmdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST' && error.code !== 'ENOENT') throw error;
  });
}

/** For `.catch`: a missing file or directory is not an error here. */
export function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
