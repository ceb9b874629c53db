// Building blocks for fakes of DNS hosting APIs (docs/writing-a-provider.md): a JSON API server with routing,
// authentication, a request log and injected errors, and the queue that mirrors TXT values into
// pebble-challtestsrv so Pebble's validation authority sees what the fake holds.
export {
  authorizationOf,
  type FakeApiAnswer,
  FakeApiError,
  type FakeApiLogEntry,
  type FakeApiRequest,
  type FakeApiRoute,
  type InjectedFakeError,
  type JsonApiFake,
  type JsonApiFakeOptions,
  startJsonApiFake,
} from './json-api-fake.js';
export { closeServer, listenOnLoopback } from './loopback-server.js';
export { type MirroredName, type TxtMirror, TxtMirrorQueue } from './txt-mirror.js';
