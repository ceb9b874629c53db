import { realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  CertkeeperError,
  type ChallengeSolver,
  type ChallengeTask,
  ErrorCodes,
  type Identifier,
  type PublicationReceipt,
  type SolverContext,
} from '@certkeeper/core';
import { checkHttp01Tasks, supportsHttp01 } from '../tasks.js';
import { ignoreMissing, removeEmptyDirectory, removeResponse } from './remove-response.js';
import { readWebrootReceipt, type WebrootReceiptData } from './webroot-receipt.js';
import { writeResponse } from './write-response.js';

/** Options of {@link WebrootHttp01Solver}. */
export interface WebrootHttp01SolverOptions {
  /**
   * The directory the web server serves `http://<name>/` from: one path for every identifier, or a function
   * choosing one per identifier (several sites on one machine). It MUST exist; it is never created.
   */
  readonly webroot: string | ((identifier: Identifier) => string);
}

/**
 * The http-01 solver that writes `<webroot>/.well-known/acme-challenge/<token>` for a web server to serve.
 *
 * - `publish` validates every task first, then writes each file atomically (temp file + rename) with mode
 *   0644, creating missing directories with mode 0755 (exact modes, whatever the umask). If one write fails,
 *   the files this call wrote are removed before the error is thrown.
 * - Tokens are validated before any path is built. A symlink is followed only if it resolves inside the
 *   webroot; otherwise `CERTKEEPER_ERR_UNSAFE_PATH` and nothing is written.
 * - `cleanup` removes exactly the receipts' files (and leftover temp files of the same token), then the
 *   directories a publication created, if empty. Missing files are not an error. It works in another process
 *   from the receipts alone.
 * - Safe for concurrent use by several orders and several processes on the same webroot.
 */
export class WebrootHttp01Solver implements ChallengeSolver {
  readonly type = 'http-01' as const;
  readonly #webrootFor: (identifier: Identifier) => string;

  constructor(options: WebrootHttp01SolverOptions) {
    const { webroot } = options;
    if (typeof webroot !== 'function' && (typeof webroot !== 'string' || webroot === '')) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        'The webroot option of the http-01 solver is empty.',
        {
          hint: "Set it to the web server's document root, for example /var/www/html.",
        },
      );
    }
    this.#webrootFor = typeof webroot === 'function' ? webroot : () => webroot;
  }

  supports(identifier: Identifier, wildcard: boolean): boolean {
    return supportsHttp01(identifier, wildcard);
  }

  async publish(tasks: readonly ChallengeTask[], context: SolverContext = {}): Promise<PublicationReceipt[]> {
    checkHttp01Tasks(tasks, context);
    const receipts: PublicationReceipt[] = [];
    try {
      for (const task of tasks) {
        const webroot = resolve(this.#webrootFor(task.identifier));
        const createdDirectories = await writeResponse(webroot, task);
        const data: WebrootReceiptData = { token: task.token, webroot, createdDirectories };
        receipts.push({ authorizationUrl: task.authorizationUrl, type: 'http-01', data });
      }
    } catch (error) {
      await this.cleanup(receipts).catch(() => undefined);
      throw error;
    }
    return receipts;
  }

  async cleanup(receipts: readonly PublicationReceipt[], _context: SolverContext = {}): Promise<void> {
    // Runs even after cancellation: the signal is not consulted. Files first, then directories, so that a
    // directory created by one receipt is empty once every receipt's file is gone.
    const errors: unknown[] = [];
    const directories = new Set<string>();
    for (const receipt of receipts) {
      try {
        const data = readWebrootReceipt(receipt);
        const realRoot = await realpath(data.webroot).catch(ignoreMissing);
        if (realRoot === undefined) continue;
        await removeResponse(realRoot, data.token);
        for (const created of data.createdDirectories) directories.add(join(realRoot, created));
      } catch (error) {
        errors.push(error);
      }
    }
    // Deepest first; a directory someone else has put files in stays.
    for (const directory of [...directories].sort((a, b) => b.length - a.length)) {
      await removeEmptyDirectory(directory).catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw errors[0];
  }
}
