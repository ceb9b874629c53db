export * from './file/index.js';
export * from './lease/index.js';
export * from './memory/memory-store.js';
export * from './port/key-pages.js';
export * from './port/records.js';
export * from './port/store.js';
export * from './port/store-conflict-error.js';
export * from './queue/renewal-queue.js';
