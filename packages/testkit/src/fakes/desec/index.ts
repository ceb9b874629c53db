// A local stand-in for the deSEC API, for tests of the @certkeeper/dns-desec provider.
export type { TxtMirror } from '../txt-mirror.js';
export type { DesecOperation } from './desec-routes.js';
export type { FakeDesecRrset } from './desec-store.js';
export type { DesecRate } from './desec-throttle.js';
export {
  DESEC_RATES,
  type FakeDesec,
  type FakeDesecOptions,
  type FakeDesecPolicy,
  type FakeDesecToken,
  startFakeDesec,
} from './start-fake-desec.js';
