export * from './contact-address.js';
export * from './preflight.js';
export * from './preflight-error.js';
