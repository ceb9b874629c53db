// @certkeeper/testkit: tools for tests that talk to a real ACME CA. The DNS provider conformance kit is a
// separate subpath, `@certkeeper/testkit/dns-conformance`.

// Fault-injection proxy: passthrough with URL rewriting, rule-driven ACME faults, request log.
export type {
  AcmeProblemDocument,
  FaultAction,
  FaultContext,
  FaultHandler,
  ProxiedRequest,
  ProxiedResponse,
  UpstreamResponse,
} from './fault-proxy/faults.js';
export { faults } from './fault-proxy/faults.js';
export type { DecodedJws } from './fault-proxy/jws.js';
export type { RequestLogEntry } from './fault-proxy/request-log.js';
export type { ResourceKind } from './fault-proxy/resource-kind.js';
export type { FaultRule, FaultRuleSpec } from './fault-proxy/rules.js';
export { type FaultProxy, type FaultProxyOptions, startFaultProxy } from './fault-proxy/start-fault-proxy.js';
export { HARNESS_USER_AGENT } from './harness-user-agent.js';
// Pebble harness: a private ACME test CA plus mock DNS per test file.
export * from './pebble/challtestsrv-client.js';
export { DEFAULT_PEBBLE_DIR, type PebbleBinaries, pebbleBinaries } from './pebble/pebble-binaries.js';
export type { PebbleEabOptions, PebbleHandle, StartPebbleOptions } from './pebble/pebble-options.js';
export { startPebble } from './pebble/start-pebble.js';

// Throwaway TLS material, for test servers that need a certificate a client can be told to trust.
export { createTestTls, type TestTlsMaterial, type TestTlsOptions } from './tls/test-tls.js';
