// A local stand-in for the Cloudflare v4 API, for tests of DNS providers built on the official SDK.
export type { TxtMirror } from '../txt-mirror.js';
export type { CloudflareOperation, CloudflarePermission, FakeCloudflareToken } from './cloudflare-routes.js';
export type { FakeCloudflareZone, FakeDnsRecord } from './cloudflare-store.js';
export {
  type CloudflareRequestLogEntry,
  type FakeCloudflare,
  type FakeCloudflareOptions,
  type InjectedCloudflareError,
  startFakeCloudflare,
} from './start-fake-cloudflare.js';
