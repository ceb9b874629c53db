// Protocol engine
export * from './client.js';
// Crypto, identifiers, profiles
export * from './crypto/index.js';
export * from './engine/abandon-order.js';
export * from './engine/challenge-capability.js';
export * from './engine/challenge-solver.js';
export * from './engine/checkpoint.js';
export { defaultPollPolicy, type EngineDeps, type PollPolicy } from './engine/engine-deps.js';
export { failureFromError, OrderFailedError, OrderSuspendedError } from './engine/failure.js';
export * from './engine/order-state.js';
export * from './engine/poll-timing.js';
export * from './engine/prepare-order.js';
export * from './engine/run-order.js';
export * from './engine/solver-scope.js';
export { runStep } from './engine/step.js';
export type { StepOptions } from './engine/step-options.js';
export type { NextAction, StepResult } from './engine/step-result.js';
// Errors
export * from './errors/acme-problem-error.js';
export * from './errors/ca-bound-errors.js';
export * from './errors/certificate-rejected-error.js';
export * from './errors/certkeeper-error.js';
export * from './errors/codes.js';
export * from './errors/fault.js';
export * from './errors/insecure-url-error.js';
export * from './errors/problem-types.js';
export * from './errors/tls-trust.js';
export * from './errors/transport-errors.js';
// HTTP and transport
export { defaultUserAgent, HttpClient, type HttpClientOptions } from './http/http-client.js';
export * from './http/https-only.js';
export * from './http/link-header.js';
export * from './http/read-capped-body.js';
export * from './http/response-limits.js';
export * from './http/retry-after.js';
export * from './identifiers/index.js';
// Ports
export { abortable } from './ports/abortable.js';
export * from './ports/clock.js';
export * from './ports/logger.js';
export { sleep } from './ports/sleep.js';
// Checks before ordering
export * from './preflight/index.js';
export * from './profiles/index.js';
// Resources
export * from './resources/account-orders.js';
export * from './resources/accounts.js';
export * from './resources/authorizations.js';
export * from './resources/certificates.js';
export * from './resources/challenges.js';
export * from './resources/directory.js';
export * from './resources/dns-account-label.js';
export * from './resources/dns-persist-record.js';
export * from './resources/orders.js';
export * from './retry/backoff-delay.js';
export * from './retry/retry-with-backoff.js';
export * from './secrets/index.js';
export * from './transport/acme-transport.js';
export { NoncePool } from './transport/nonce-pool.js';
export * from './transport/request-rate-limiter.js';
export * from './transport/request-retries.js';
