/**
 * One `account rollover` in its own process, for the rollover crash test: the FileStore at CERTKEEPER_TEST_ROLLOVER's
 * `storeDirectory`, the CA at its `directoryUrl` (the fault proxy). Prints `{"event":"rolled","thumbprint":…}` and
 * exits 0; the test kills it at a store write point (kill-points preload) or while the CA's answer is held.
 */
import { AccountOperations } from '@certkeeper/manager';
import { FileStore } from '@certkeeper/store';

const config = JSON.parse(process.env.CERTKEEPER_TEST_ROLLOVER ?? '{}') as {
  directoryUrl: string;
  caBundle: string;
  storeDirectory: string;
};

async function main(): Promise<void> {
  const store = await FileStore.open({ directory: config.storeDirectory });
  try {
    const operations = new AccountOperations({
      options: { directoryUrl: config.directoryUrl, caBundle: config.caBundle },
      store,
    });
    const summary = await operations.rollover();
    process.stdout.write(`${JSON.stringify({ event: 'rolled', thumbprint: summary.keyThumbprint })}\n`);
  } finally {
    await store.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ event: 'error', message: String(error) })}\n`);
    process.exit(1);
  },
);
