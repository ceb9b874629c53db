/**
 * Synchronous clean-ups run when the Node process exits, so a test run that ends without calling `stop()` (a
 * crash, a forgotten `afterAll`, `process.exit()` in a worker) leaves no Pebble behind. Only synchronous work can
 * run in an 'exit' listener: killing with SIGKILL and `rmSync`.
 *
 * A process killed by a signal never reaches 'exit'; {@link spawnManaged} covers that case with the parent-death
 * signal.
 */
const cleanups = new Set<() => void>();
let installed = false;

export function onProcessExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', () => {
      for (const run of cleanups) {
        try {
          run();
        } catch {
          // Best effort: one failed clean-up must not keep the others from running.
        }
      }
    });
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
