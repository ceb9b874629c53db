/**
 * Runs `indexCrashSteps` against the FileStore at argv[2], printing `ack <n>` after step n, then `done`. The
 * index crash test loads the kill-points preload to SIGKILL it before a chosen write.
 */
import { FileStore } from '@certkeeper/store';
import { indexCrashSteps } from './index-crash-script.js';

const store = await FileStore.open({ directory: process.argv[2]! });
for (const [index, step] of indexCrashSteps.entries()) {
  await step(store);
  process.stdout.write(`ack ${index + 1}\n`);
}
await store.close();
process.stdout.write('done\n');
