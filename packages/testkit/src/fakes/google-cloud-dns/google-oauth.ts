import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { FakeApiError } from '../json-api-fake.js';

/** A service account the fake knows: its key as Google issues it, and what its tokens may do. */
export interface FakeServiceAccount {
  readonly clientEmail: string;
  /** The JSON key text (`"type": "service_account"`), `token_uri` pointing at the fake. */
  readonly keyJson: string;
  readonly publicKeyPem: string;
  /** Tokens of a read-only account (roles/dns.reader) are refused changes with 403 `forbidden`. */
  readonly readOnly: boolean;
}

export interface IssuedToken {
  readonly account: string;
  readonly readOnly: boolean;
  readonly expiresAt: number;
}

const SCOPES = new Set([
  'https://www.googleapis.com/auth/ndev.clouddns.readwrite',
  'https://www.googleapis.com/auth/cloud-platform',
]);

const oauthError = (error: string, description: string) =>
  new FakeApiError(400, { error, error_description: description });

/**
 * Google's OAuth 2 token endpoint for service accounts (RFC 7523 JWT bearer grant) and authorized users
 * (refresh-token grant), and the metadata server's token: issues access tokens and remembers them for the API.
 */
export class GoogleOAuth {
  readonly accounts = new Map<string, FakeServiceAccount>();
  readonly tokens = new Map<string, IssuedToken>();
  readonly users = new Map<string, { clientSecret: string; refreshToken: string }>();

  constructor(
    private readonly tokenUri: () => string,
    private readonly project: string,
    private readonly tokenLifetimeSeconds: number,
  ) {}

  /** Creates a service account with a fresh RSA key pair; `privateKeyPem` overrides the key written to the JSON. */
  addServiceAccount(
    name: string,
    options: { readOnly?: boolean; privateKeyPem?: string } = {},
  ): FakeServiceAccount {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const clientEmail = `${name}@${this.project}.iam.gserviceaccount.com`;
    const account: FakeServiceAccount = {
      clientEmail,
      readOnly: options.readOnly ?? false,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      keyJson: JSON.stringify({
        type: 'service_account',
        project_id: this.project,
        private_key_id: randomBytes(20).toString('hex'),
        private_key: options.privateKeyPem ?? privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: clientEmail,
        client_id: String(100_000_000_000_000_000_000n + BigInt(this.accounts.size)),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: this.tokenUri(),
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        universe_domain: 'googleapis.com',
      }),
    };
    this.accounts.set(clientEmail, account);
    return account;
  }

  /** gcloud's application_default_credentials.json for a user, `token_uri` pointing at the fake. */
  addAuthorizedUser(): string {
    const clientId = `${randomBytes(6).toString('hex')}.apps.googleusercontent.com`;
    const user = {
      clientSecret: randomBytes(12).toString('base64url'),
      refreshToken: `1//${randomBytes(30).toString('base64url')}`,
    };
    this.users.set(clientId, user);
    return JSON.stringify({
      type: 'authorized_user',
      client_id: clientId,
      client_secret: user.clientSecret,
      refresh_token: user.refreshToken,
      token_uri: this.tokenUri(),
    });
  }

  /** `POST /token`: checks the grant and answers `{ access_token, expires_in, token_type }` or Google's 400. */
  token(form: Record<string, unknown>): { body: unknown } {
    if (form.grant_type === 'refresh_token') {
      const user = this.users.get(String(form.client_id));
      if (!user || user.clientSecret !== form.client_secret)
        throw new FakeApiError(401, {
          error: 'invalid_client',
          error_description: 'The OAuth client was not found.',
        });
      if (user.refreshToken !== form.refresh_token) throw oauthError('invalid_grant', 'Bad Request');
      return { body: this.issue(`user:${String(form.client_id)}`, false) };
    }
    if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      throw oauthError('unsupported_grant_type', `Invalid grant_type: ${String(form.grant_type)}`);
    const parts = typeof form.assertion === 'string' ? form.assertion.split('.') : [];
    if (parts.length !== 3) throw oauthError('invalid_request', 'Invalid JWT: malformed assertion.');
    const [headerPart, claimsPart, signature] = parts as [string, string, string];
    let header: { alg?: unknown };
    let claims: { iss?: unknown; aud?: unknown; scope?: unknown; iat?: unknown; exp?: unknown };
    try {
      header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString('utf8'));
    } catch {
      throw oauthError('invalid_request', 'Invalid JWT: the header or claim set is not JSON.');
    }
    if (header.alg !== 'RS256') throw oauthError('invalid_grant', 'Invalid JWT Signature.');
    const account = this.accounts.get(String(claims.iss));
    if (!account) throw oauthError('invalid_grant', 'Invalid grant: account not found');
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${headerPart}.${claimsPart}`),
      createPublicKey(account.publicKeyPem),
      Buffer.from(signature, 'base64url'),
    );
    if (!signed) throw oauthError('invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== this.tokenUri())
      throw oauthError('invalid_grant', `Invalid JWT: audience must be ${this.tokenUri()}.`);
    const now = Math.floor(Date.now() / 1000);
    if (
      typeof claims.iat !== 'number' ||
      typeof claims.exp !== 'number' ||
      claims.exp - claims.iat > 3600 ||
      claims.iat > now + 300 ||
      claims.exp < now
    )
      throw oauthError(
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      );
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.some((scope) => SCOPES.has(scope)))
      throw oauthError('invalid_scope', 'No Cloud DNS scope requested.');
    return { body: this.issue(account.clientEmail, account.readOnly) };
  }

  /** The token of the instance's attached service account, as the metadata server gives it. */
  metadataToken(): { body: unknown } {
    return { body: this.issue(`default@${this.project}.iam.gserviceaccount.com`, false) };
  }

  private issue(account: string, readOnly: boolean) {
    const accessToken = `ya29.${randomBytes(48).toString('base64url')}`;
    this.tokens.set(accessToken, {
      account,
      readOnly,
      expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000,
    });
    return { access_token: accessToken, expires_in: this.tokenLifetimeSeconds, token_type: 'Bearer' };
  }
}
