import { randomBytes, randomUUID } from 'node:crypto';
import { FakeApiError } from '../json-api-fake.js';
import { aadError } from './arm-error.js';

/** An app registration with a client secret, or a managed identity; `readOnly` ones hold only the Reader role. */
export interface FakePrincipal {
  readonly clientId: string;
  readonly objectId: string;
  readonly clientSecret?: string;
  readonly readOnly: boolean;
}

export interface FakeAccessToken {
  readonly principal: FakePrincipal;
  /** The resource the token is for (`https://management.azure.com`). */
  readonly audience: string;
  readonly expiresAt: number;
}

/**
 * Entra ID as the SDKs meet it: the tenant's OpenID configuration, the v2.0 token endpoint's client-credentials
 * grant (`scope=<resource>/.default`, the secret checked, AADSTS errors), and the managed-identity endpoints —
 * IMDS (`Metadata: true`) and App Service (`X-IDENTITY-HEADER`), whose `expires_on` are strings as Azure sends them.
 */
export class EntraId {
  readonly apps = new Map<string, FakePrincipal>();
  readonly identities = new Map<string, FakePrincipal>();
  readonly tokens = new Map<string, FakeAccessToken>();
  /** The system-assigned identity of the (pretend) host. */
  readonly systemIdentity: FakePrincipal = {
    clientId: randomUUID(),
    objectId: randomUUID(),
    readOnly: false,
  };
  readonly identityHeader = randomBytes(16).toString('hex');

  constructor(
    readonly tenantId: string,
    private readonly origin: () => string,
  ) {}

  addApp(options: { readOnly?: boolean } = {}): FakePrincipal {
    const app: FakePrincipal = {
      clientId: randomUUID(),
      objectId: randomUUID(),
      clientSecret: `${randomBytes(3).toString('hex')}~${randomBytes(24).toString('base64url')}`,
      readOnly: options.readOnly ?? false,
    };
    this.apps.set(app.clientId, app);
    return app;
  }

  addUserAssignedIdentity(options: { readOnly?: boolean } = {}): FakePrincipal {
    const identity: FakePrincipal = {
      clientId: randomUUID(),
      objectId: randomUUID(),
      readOnly: options.readOnly ?? false,
    };
    this.identities.set(identity.clientId, identity);
    return identity;
  }

  openIdConfiguration(tenant: string) {
    this.checkTenant(tenant);
    const base = `${this.origin()}/${tenant}`;
    return {
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        jwks_uri: `${this.origin()}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
      },
    };
  }

  /** `POST /{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`. */
  token(tenant: string, form: Record<string, unknown>) {
    this.checkTenant(tenant);
    if (form.grant_type !== 'client_credentials')
      throw aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const app = this.apps.get(String(form.client_id));
    if (!app)
      throw aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${String(form.client_id)}' was not found in the directory '${tenant}'.`,
      );
    if (form.client_secret !== app.clientSecret)
      throw aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    const scopes = String(form.scope ?? '').split(' ');
    const resource = scopes.find((scope) => scope.endsWith('/.default'))?.replace(/\/\.default$/, '');
    if (!resource)
      throw aadError(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.');
    const issued = this.issue(app, resource);
    return {
      body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: issued.token },
    };
  }

  /** IMDS `GET /metadata/identity/oauth2/token?api-version=…&resource=…[&client_id=…]`. */
  imdsToken(query: URLSearchParams, headers: Record<string, string | string[] | undefined>) {
    if (headers.metadata !== 'true')
      throw new FakeApiError(400, {
        error: 'invalid_request',
        error_description: 'Required metadata header not specified',
      });
    if (!query.get('api-version'))
      throw new FakeApiError(400, {
        error: 'invalid_request',
        error_description: "Required query variable 'api-version' is missing",
      });
    return { body: this.identityToken(query, 'client_id') };
  }

  /** App Service `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…` with `X-IDENTITY-HEADER`. */
  appServiceToken(query: URLSearchParams, headers: Record<string, string | string[] | undefined>) {
    if (headers['x-identity-header'] !== this.identityHeader)
      throw new FakeApiError(401, { statusCode: 401, message: 'Unauthorized' });
    return { body: this.identityToken(query, 'client_id') };
  }

  private identityToken(query: URLSearchParams, clientIdParameter: string) {
    const resource = query.get('resource');
    if (!resource)
      throw new FakeApiError(400, {
        error: 'invalid_request',
        error_description: "Required query variable 'resource' is missing",
      });
    const asked = query.get(clientIdParameter);
    const identity = asked ? this.identities.get(asked) : this.systemIdentity;
    if (!identity)
      throw new FakeApiError(400, { error: 'invalid_request', error_description: 'Identity not found' });
    const issued = this.issue(identity, resource.replace(/\/$/, ''));
    const expiresOn = Math.floor(issued.expiresAt / 1000);
    return {
      access_token: issued.token,
      client_id: identity.clientId,
      expires_in: String(expiresOn - Math.floor(Date.now() / 1000)),
      expires_on: String(expiresOn),
      ext_expires_in: '86399',
      not_before: String(Math.floor(Date.now() / 1000)),
      resource,
      token_type: 'Bearer',
    };
  }

  private issue(principal: FakePrincipal, audience: string) {
    const token = `eyJ0eXAiOiJKV1QifQ.${randomBytes(48).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    const issued: FakeAccessToken = { principal, audience, expiresAt: Date.now() + 3599_000 };
    this.tokens.set(token, issued);
    return { token, ...issued };
  }

  private checkTenant(tenant: string) {
    if (tenant !== this.tenantId)
      throw aadError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`,
      );
  }
}
