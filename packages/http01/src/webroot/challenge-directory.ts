import { chmod, lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { realPathInside } from './contained-path.js';

/** The directories below a webroot that the solver may create, parent first (relative, '/'-separated). */
export const CHALLENGE_DIRECTORIES = ['.well-known', '.well-known/acme-challenge'] as const;
export type ChallengeDirectory = (typeof CHALLENGE_DIRECTORIES)[number];

// World-readable: the web server usually runs as another user than certkeeper.
const DIRECTORY_MODE = 0o755;

/**
 * Makes sure `<realRoot>/.well-known/acme-challenge` exists and stays inside `realRoot` (symlinks are followed
 * only when they lead to a place inside it). Returns its real path and which directories this call created.
 * Throws `CERTKEEPER_ERR_UNSAFE_PATH` for a symlink out, and filesystem errors (ENOTDIR when a file is in the way).
 */
export async function ensureChallengeDirectory(
  realRoot: string,
): Promise<{ readonly directory: string; readonly created: ChallengeDirectory[] }> {
  const created: ChallengeDirectory[] = [];
  let parent = realRoot;
  for (const relative of CHALLENGE_DIRECTORIES) {
    const path = join(parent, relative.slice(relative.lastIndexOf('/') + 1));
    if (await makeDirectory(path)) created.push(relative);
    parent = await realPathInside(realRoot, path);
    if (!(await lstat(parent)).isDirectory()) {
      // Reported by the caller, which knows the identifier, like any other filesystem error.
      throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR', path });
    }
  }
  return { directory: parent, created };
}

/** mkdir that reports whether it created the directory, with its mode set exactly despite the umask. */
async function makeDirectory(path: string): Promise<boolean> {
  try {
    await mkdir(path, { mode: DIRECTORY_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  // A restrictive umask (077 under many service managers) would leave it unreadable by the web server, which
  // then answers 403/404 and the validation fails: set the mode explicitly.
  await chmod(path, DIRECTORY_MODE);
  return true;
}
