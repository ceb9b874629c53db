export * from './dns-name.js';
export * from './identifier.js';
export * from './invalid-identifier-error.js';
export * from './ip-literal.js';
export { assertNoMixedScriptLabels, findMixedScriptLabels, type MixedScriptLabel } from './mixed-scripts.js';
export { parseIdentifiers } from './parse-identifiers.js';
export { reservedIpReason } from './reserved-ip.js';
