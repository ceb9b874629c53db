// A reference webhook for lego's httpreq protocol, for tests of the @certkeeper/dns-httpreq provider.
export type { TxtMirror } from '../txt-mirror.js';
export {
  type FakeHttpreq,
  type FakeHttpreqOptions,
  type HttpreqOperation,
  startFakeHttpreq,
} from './start-fake-httpreq.js';
