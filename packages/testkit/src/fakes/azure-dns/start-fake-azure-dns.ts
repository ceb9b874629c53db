import { Agent } from 'node:https';
import { createTestTls } from '../../tls/test-tls.js';
import { type FakeApiLogEntry, startJsonApiFake } from '../json-api-fake.js';
import { type TxtMirror, TxtMirrorQueue } from '../txt-mirror.js';
import { aadError, armError } from './arm-error.js';
import { AzureDnsStore, type FakeAzureRecordSet, type FakeAzureZone } from './azure-dns-store.js';
import { type AzureOperation, routeAzure } from './azure-routes.js';
import { EntraId, type FakePrincipal } from './entra-id.js';

export interface FakeAzureDnsOptions {
  /** Caps every page below `$top`, to exercise `nextLink` pagination. */
  readonly maxPerPage?: number;
  readonly latencyMs?: number;
  /** Publishes the TXT values at a name here after each change (pebble-challtestsrv's client fits). */
  readonly mirror?: TxtMirror;
  /** Delay before a change reaches the mirror (Azure's name servers lag its API by seconds). */
  readonly propagationDelayMs?: number;
}

export interface FakeAzureDns {
  /** `https://127.0.0.1:<port>`: Resource Manager (the provider's `armEndpoint`). */
  readonly armEndpoint: string;
  /** `https://127.0.0.1:<port>`: Entra ID (the provider's `authorityHost`), the same server. */
  readonly authorityHost: string;
  /** `http://127.0.0.1:<port>`: IMDS, for `AZURE_POD_IDENTITY_AUTHORITY_HOST`. */
  readonly imdsHost: string;
  /** The App Service identity endpoint, for `IDENTITY_ENDPOINT`, and the `IDENTITY_HEADER` it wants. */
  readonly identityEndpoint: string;
  readonly identityHeader: string;
  /** Trusts the fake's throwaway CA: the provider's code-only `agent`. */
  readonly agent: Agent;
  readonly caCertificatePem: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** An app registration with DNS Zone Contributor. */
  readonly app: FakePrincipal;
  readonly systemIdentity: FakePrincipal;
  readonly requests: readonly FakeApiLogEntry<AzureOperation>[];
  addApp(options?: { readOnly?: boolean }): FakePrincipal;
  addUserAssignedIdentity(options?: { readOnly?: boolean }): FakePrincipal;
  addZone(resourceGroup: string, name: string, zoneType?: 'Public' | 'Private'): void;
  /** TXT record sets of a zone (copies). */
  recordSets(resourceGroup: string, zone: string): FakeAzureRecordSet[];
  /** 429 `TooManyRequests` with `Retry-After` for the next requests (of one operation). */
  throttle(options?: { times?: number; retryAfterSeconds?: number; operation?: AzureOperation }): void;
  injectError(error: { status: number; operation?: AzureOperation; times?: number }): void;
  count(operation: AzureOperation): number;
  resetRequests(): void;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A local stand-in for Azure DNS behind Resource Manager and Entra ID: HTTPS with a throwaway CA (the SDK refuses
 * bearer tokens over plain HTTP, and MSAL an insecure authority), the tenant's OpenID configuration and token
 * endpoint, IMDS and App Service managed-identity endpoints on plain HTTP (as on Azure), and the dnszones API with
 * `api-version` required, etags with `If-Match`/`If-None-Match`, `nextLink` pages and `{ error: { code, message } }`.
 */
export async function startFakeAzureDns(options: FakeAzureDnsOptions = {}): Promise<FakeAzureDns> {
  const tls = await createTestTls({ commonName: 'fake Azure' });
  const store = new AzureDnsStore(crypto.randomUUID());
  let origin = '';
  const entra = new EntraId(crypto.randomUUID(), () => origin);
  const mirror = new TxtMirrorQueue(options.mirror, { propagationDelayMs: options.propagationDelayMs ?? 0 });
  const changed = (zone: FakeAzureZone, name: string) => {
    if (zone.zoneType !== 'Public') return;
    const host = name === '@' ? zone.name : `${name}.${zone.name}`;
    mirror
      .publish(() => [
        { host, values: (zone.txt.get(name)?.txtRecords ?? []).map((record) => record.value.join('')) },
      ])
      .catch(() => undefined);
  };
  const arm = await startJsonApiFake<AzureOperation>({
    name: 'Azure Resource Manager and Entra ID',
    latencyMs: options.latencyMs,
    tls: { certificatePem: tls.certificatePem, privateKeyPem: tls.privateKeyPem },
    route: (request) =>
      routeAzure({ store, entra, origin: () => origin, maxPerPage: options.maxPerPage, changed }, request),
    authenticate(request, operation) {
      if (operation === undefined || operation.startsWith('aad.')) return;
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const issued = token === undefined ? undefined : entra.tokens.get(token);
      if (!token)
        throw armError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing.",
        );
      if (!issued || issued.expiresAt <= Date.now() || issued.audience.replace(/\/$/, '') !== origin)
        throw armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
      if (issued.principal.readOnly && (operation === 'recordsets.put' || operation === 'recordsets.delete'))
        throw armError(
          403,
          'AuthorizationFailed',
          `The client '${issued.principal.clientId}' with object id '${issued.principal.objectId}' does not have authorization to perform action 'Microsoft.Network/dnszones/TXT/${operation === 'recordsets.put' ? 'write' : 'delete'}' over scope '${request.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
    },
    notFound: (request) =>
      request.path.includes('/oauth2/')
        ? aadError(404, 'invalid_request', 900561, 'The endpoint only accepts POST requests.')
        : armError(404, 'InvalidResourceType', `The resource type could not be found for ${request.path}.`),
    badJson: () =>
      armError(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized.',
      ),
    serverError: (message) =>
      armError(500, 'InternalServerError', `Encountered internal server error. ${message}`),
  });
  origin = arm.origin;
  const identity = await startJsonApiFake<AzureOperation>({
    name: 'Azure managed identity endpoints',
    route: (request) => {
      // MSAL asks for `/metadata/identity/oauth2/token/` (a trailing slash); IMDS serves both.
      if (/^\/metadata\/identity\/oauth2\/token\/?$/.test(request.path) && request.method === 'GET')
        return { operation: 'imds.token', handle: () => entra.imdsToken(request.query, request.headers) };
      if (request.path === '/msi/token' && request.method === 'GET')
        return {
          operation: 'appservice.token',
          handle: () => entra.appServiceToken(request.query, request.headers),
        };
      return undefined;
    },
    authenticate: () => undefined,
    notFound: () => armError(404, 'NotFound', 'Not found'),
    badJson: () => armError(400, 'BadRequest', 'Bad request'),
    serverError: (message) => armError(500, 'InternalServerError', message),
  });
  const requests: FakeApiLogEntry<AzureOperation>[] = [];
  const merged = () => {
    requests.length = 0;
    requests.push(...identity.requests, ...arm.requests);
    return requests;
  };
  return {
    armEndpoint: origin,
    authorityHost: origin,
    imdsHost: identity.origin,
    identityEndpoint: `${identity.origin}/msi/token`,
    identityHeader: entra.identityHeader,
    agent: new Agent({ ca: tls.caCertificatePem, keepAlive: true }),
    caCertificatePem: tls.caCertificatePem,
    tenantId: entra.tenantId,
    subscriptionId: store.subscriptionId,
    app: entra.addApp(),
    systemIdentity: entra.systemIdentity,
    get requests() {
      return merged();
    },
    addApp: (appOptions) => entra.addApp(appOptions),
    addUserAssignedIdentity: (identityOptions) => entra.addUserAssignedIdentity(identityOptions),
    addZone: (group, name, zoneType) => void store.addZone(group, name, zoneType),
    recordSets: (group, zone) => [...store.zone(group, zone).txt.values()].map((set) => ({ ...set })),
    throttle({ times = 1, retryAfterSeconds = 1, operation } = {}) {
      const error = armError(
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type - Write_ObservationWindow_00:05:00.',
        { 'retry-after': String(retryAfterSeconds), 'x-ms-ratelimit-remaining-subscription-writes': '0' },
      );
      arm.inject({
        status: 429,
        body: error.body,
        headers: error.headers,
        times,
        ...(operation ? { operation } : {}),
      });
    },
    injectError({ status, operation, times }) {
      arm.inject({
        status,
        body: armError(status, 'InternalServerError', 'Encountered internal server error.').body,
        ...(operation ? { operation } : {}),
        ...(times ? { times } : {}),
      });
    },
    count: (operation) => arm.count(operation) + identity.count(operation),
    resetRequests() {
      arm.resetRequests();
      identity.resetRequests();
    },
    settled: () => mirror.settled('Azure DNS API'),
    async stop() {
      await mirror.idle();
      await Promise.all([arm.stop(), identity.stop()]);
    },
  };
}
