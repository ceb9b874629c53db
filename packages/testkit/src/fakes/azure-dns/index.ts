// A local stand-in for Azure DNS behind Resource Manager, Entra ID and the managed-identity endpoints, for tests of
// @certkeeper/dns-azure.
export type { TxtMirror } from '../txt-mirror.js';
export type { FakeAzureRecordSet } from './azure-dns-store.js';
export { type AzureOperation, DNS_API_VERSIONS } from './azure-routes.js';
export type { FakePrincipal } from './entra-id.js';
export { type FakeAzureDns, type FakeAzureDnsOptions, startFakeAzureDns } from './start-fake-azure-dns.js';
