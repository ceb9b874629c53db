// @certkeeper/testkit/store-conformance: the suite every Store backend passes, framework-agnostic cases plus a
// vitest adapter. MemoryStore passes it too ("double entry"), so a failure points at the backend, not the kit.
export * from './cases.js';
export * from './fixtures.js';
export * from './run-conformance.js';
export * from './store-case.js';
export * from './subject.js';
export * from './vitest-adapter.js';
