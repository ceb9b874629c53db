// A local stand-in for the DNSimple v2 API, for tests of the @certkeeper/dns-dnsimple provider.
export type { TxtMirror } from '../txt-mirror.js';
export type { DnsimpleOperation } from './dnsimple-routes.js';
export type { FakeDnsimpleRecord } from './dnsimple-store.js';
export {
  type FakeDnsimple,
  type FakeDnsimpleOptions,
  type FakeDnsimpleToken,
  startFakeDnsimple,
} from './start-fake-dnsimple.js';
