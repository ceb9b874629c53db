/**
 * The User-Agent of the testkit's own requests (the Pebble harness's probes and management calls, the fault
 * proxy's nonce fetches). RFC 8555 §6.1: ACME clients MUST send one, and Pebble 2.10 refuses requests without.
 */
export const HARNESS_USER_AGENT = 'certkeeper-testkit';
