export * from './dns-name.js';
export * from './identifier.js';
export * from './invalid-identifier-error.js';
export * from './ip-literal.js';
export { parseIdentifiers } from './parse-identifiers.js';
