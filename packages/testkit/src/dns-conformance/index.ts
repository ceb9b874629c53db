export * from './cases.js';
export * from './run-conformance.js';
export * from './subject.js';
export * from './vitest-adapter.js';
