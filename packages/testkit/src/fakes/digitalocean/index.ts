// A local stand-in for the DigitalOcean v2 DNS API, for tests of the @certkeeper/dns-digitalocean provider.
export type { TxtMirror } from '../txt-mirror.js';
export type { DigitalOceanOperation } from './digitalocean-routes.js';
export type { FakeDoRecord } from './digitalocean-store.js';
export {
  type FakeDigitalOcean,
  type FakeDigitalOceanOptions,
  type FakeDoToken,
  startFakeDigitalOcean,
} from './start-fake-digitalocean.js';
