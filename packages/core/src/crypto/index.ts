// Public surface of core's crypto: keys, CSRs, certificate parsing. x509.ts stays internal so that the
// reflect-metadata import order is never bypassed by a consumer.
export * from './account-key.js';
export * from './ari-certificate-id.js';
export * from './certificate.js';
export * from './certificate-issuer.js';
export * from './certificate-key.js';
export * from './csr.js';
export * from './csr-parse.js';
export * from './key-types.js';
export { encodePem, splitPemChain } from './pem.js';
export * from './public-jwk.js';
export * from './tls-alpn-certificate.js';
export * from './trust-anchors.js';
export * from './verify-issued-chain.js';
