export * from './allow-policy.js';
export * from './issuance-limiter.js';
export * from './on-demand-tls.js';
export { certificateNameFor } from './server-name.js';
