// A local stand-in for the Amazon Route 53 API, for tests of DNS providers built on the AWS SDK.

export type { TxtMirror } from '../txt-mirror.js';
export type { FakeChange, FakeHostedZone, FakeRecordSet } from './route53-store.js';
export type { FakeAwsCredential, FakeRoute53Policy } from './sigv4-verifier.js';
export {
  type FakeRoute53,
  type FakeRoute53Options,
  type InjectedRoute53Error,
  type Route53Operation,
  type Route53RequestLogEntry,
  startFakeRoute53,
} from './start-fake-route53.js';
