// A local stand-in for Gandi's LiveDNS API, for tests of the @certkeeper/dns-gandi provider.
export type { TxtMirror } from '../txt-mirror.js';
export type { GandiOperation } from './gandi-routes.js';
export type { FakeGandiRrset } from './gandi-store.js';
export {
  type FakeGandi,
  type FakeGandiOptions,
  type FakeGandiToken,
  startFakeGandi,
} from './start-fake-gandi.js';
