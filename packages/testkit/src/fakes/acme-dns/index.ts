// A local acme-dns (HTTP API and DNS server), for tests of the @certkeeper/dns-acme-dns provider and the CLI's
// `acme-dns register`.
export type { TxtMirror } from '../txt-mirror.js';
export type { FakeAcmeDnsAccount } from './acme-dns-store.js';
export {
  type AcmeDnsOperation,
  type FakeAcmeDns,
  type FakeAcmeDnsOptions,
  startFakeAcmeDns,
} from './start-fake-acme-dns.js';
