// A local stand-in for the Linode (Akamai) v4 Domains API, for tests of the @certkeeper/dns-linode provider.
export type { TxtMirror } from '../txt-mirror.js';
export type { LinodeOperation } from './linode-routes.js';
export type { FakeLinodeRecord } from './linode-store.js';
export {
  type FakeLinode,
  type FakeLinodeOptions,
  type FakeLinodeToken,
  startFakeLinode,
} from './start-fake-linode.js';
