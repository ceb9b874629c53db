// A local stand-in for the OVHcloud API's DNS zone endpoints, for tests of the @certkeeper/dns-ovh provider.
export type { TxtMirror } from '../txt-mirror.js';
export { type FakeOvhCredentials, type FakeOvhRule, zoneRules } from './ovh-auth.js';
export type { OvhOperation } from './ovh-routes.js';
export type { FakeOvhRecord } from './ovh-store.js';
export { type FakeOvh, type FakeOvhOptions, startFakeOvh } from './start-fake-ovh.js';
