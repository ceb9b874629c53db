// A local stand-in for the DNS part of the Hetzner Cloud API, for tests of the @certkeeper/dns-hetzner provider.
export type { TxtMirror } from '../txt-mirror.js';
export type { HetznerOperation } from './hetzner-routes.js';
export type { FakeHetznerRrset, FakeHetznerZone } from './hetzner-store.js';
export {
  type FakeHetzner,
  type FakeHetznerOptions,
  type FakeHetznerToken,
  startFakeHetzner,
} from './start-fake-hetzner.js';
