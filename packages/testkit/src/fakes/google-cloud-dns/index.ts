// A local stand-in for Google Cloud DNS v1 and its OAuth 2 endpoints, for tests of @certkeeper/dns-google-cloud.
export type { TxtMirror } from '../txt-mirror.js';
export type { GoogleDnsOperation } from './google-dns-routes.js';
export type { FakeRrset } from './google-dns-store.js';
export type { FakeServiceAccount } from './google-oauth.js';
export {
  type FakeGoogleCloudDns,
  type FakeGoogleCloudDnsOptions,
  startFakeGoogleCloudDns,
} from './start-fake-google-cloud-dns.js';
