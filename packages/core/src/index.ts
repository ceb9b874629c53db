export * from './engine/challenge-solver.js';
export * from './errors/certkeeper-error.js';
export * from './errors/codes.js';
export * from './identifiers/identifier.js';
