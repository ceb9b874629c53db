import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@certkeeper/store';
import { describeStoreConformance } from '@certkeeper/testkit/store-conformance';

describeStoreConformance('FileStore', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'certkeeper-filestore-'));
  const store = await FileStore.open({ directory });
  return {
    store,
    reopen: () => FileStore.open({ directory }),
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});
