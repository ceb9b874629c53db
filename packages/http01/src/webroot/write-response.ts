import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CertkeeperError,
  type ChallengeTask,
  ErrorCodes,
  formatIdentifier,
  type Identifier,
} from '@certkeeper/core';
import { writeFileAtomic } from './atomic-write.js';
import { type ChallengeDirectory, ensureChallengeDirectory } from './challenge-directory.js';

// World-readable: the web server usually runs as another user than certkeeper.
const FILE_MODE = 0o644;
// A concurrent cleanup may remove the (empty) challenge directory between our mkdir and our write.
const WRITE_ATTEMPTS = 3;

/**
 * Writes the task's key authorization below `webroot` (absolute) and returns which challenge directories were
 * created on the way. The token MUST have been validated. Throws `CertkeeperError`s naming the identifier.
 */
export async function writeResponse(webroot: string, task: ChallengeTask): Promise<ChallengeDirectory[]> {
  const realRoot = await realWebroot(webroot, task.identifier);
  const created: ChallengeDirectory[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const challengeDirectory = await ensureChallengeDirectory(realRoot);
      created.push(...challengeDirectory.created);
      await writeFileAtomic(challengeDirectory.directory, task.token, task.keyAuthorization, FILE_MODE);
      return [...new Set(created)];
    } catch (error) {
      if (CertkeeperError.isInstance(error)) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && attempt < WRITE_ATTEMPTS) continue;
      throw fileError(
        'write',
        join(webroot, '.well-known/acme-challenge', task.token),
        task.identifier,
        error,
      );
    }
  }
}

async function realWebroot(webroot: string, identifier: Identifier): Promise<string> {
  try {
    const real = await realpath(webroot);
    if ((await stat(real)).isDirectory()) return real;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw fileError('read', webroot, identifier, error);
  }
  throw new CertkeeperError(
    ErrorCodes.INVALID_OPTION,
    `The webroot ${webroot} for ${formatIdentifier(identifier)} does not exist or is not a directory.`,
    { hint: "Nothing was written. Set webroot to the web server's existing document root for that name." },
  );
}

function fileError(doing: string, path: string, identifier: Identifier, cause: unknown): CertkeeperError {
  const { code, path: culprit } = cause as NodeJS.ErrnoException;
  const inTheWay = code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR';
  return new CertkeeperError(
    ErrorCodes.SOLVER_FAILED,
    `Cannot ${doing} ${path} for the http-01 challenge of ${formatIdentifier(identifier)} (${code ?? String(cause)}).`,
    {
      cause,
      hint: inTheWay
        ? `Something that is not a directory is in the way${culprit ? ` at ${culprit}` : ''}: move it aside.`
        : 'Check that certkeeper may write below the webroot (owner, permissions, read-only filesystem).',
    },
  );
}
