/**
 * Runs `crashSteps` against the FileStore at argv[2], printing `opened`, then `ack <n>` once step n resolved
 * (1-based), then `done`. The crash test loads the kill-points preload to SIGKILL it before a chosen write.
 */
import { FileStore } from '@certkeeper/store';
import { crashSteps } from './crash-script.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const store = await FileStore.open({ directory: process.argv[2]! });
say('opened');
const context = {};
for (const [index, step] of crashSteps.entries()) {
  await step.run(store, context);
  say(`ack ${index + 1}`);
}
await store.close();
say('done');
