import { createPrivateKey, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import { ProviderHttpClient } from '@certkeeper/dns';
import { PROVIDER_NAME, type ResolvedOptions } from './options.js';
import { type CredentialsFile, parseCredentials, type ServiceAccountKey } from './service-account-key.js';
import { type AccessToken, exchangeForToken } from './token-endpoint.js';

/** Cloud DNS read-write, narrower than cloud-platform. */
export const CLOUD_DNS_SCOPE = 'https://www.googleapis.com/auth/ndev.clouddns.readwrite';

/** Renew this long before Google's expiry, so a token never expires between reading it and using it. */
const EARLY_RENEWAL_MS = 60_000;

/**
 * Where access tokens come from: a service-account key given as an option, else application default credentials
 * in Google's order — $GOOGLE_APPLICATION_CREDENTIALS, gcloud's application_default_credentials.json, the metadata
 * server. One token is shared by concurrent callers and renewed a minute before it expires; nothing is read or
 * fetched before the first call. Every secret read (key, refresh token, access token) goes to the redactor.
 */
export class AccessTokens {
  private current: AccessToken | undefined;
  private pending: Promise<AccessToken> | undefined;
  private credentials: Promise<CredentialsFile | 'metadata'> | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly redactor: SecretRedactor,
  ) {
    redactor.register(options.serviceAccountKey);
  }

  async token(signal?: AbortSignal): Promise<string> {
    if (this.current && this.current.expiresAt - EARLY_RENEWAL_MS > Date.now()) return this.current.value;
    this.pending ??= this.fetch(signal).finally(() => {
      this.pending = undefined;
    });
    this.current = await this.pending;
    return this.current.value;
  }

  /** The API said the token is not valid (revoked, expired early): the next call fetches another. */
  invalidate(): void {
    this.current = undefined;
  }

  /** The project the credentials name (`project_id` of a key), when they name one. */
  async project(): Promise<string | undefined> {
    const credentials = await this.load();
    return credentials === 'metadata' ? undefined : credentials.projectId;
  }

  private async fetch(signal: AbortSignal | undefined): Promise<AccessToken> {
    const credentials = await this.load();
    const call = { timeoutMs: this.options.timeoutMs, maxRetryWaitMs: this.options.maxRetryWaitMs, signal };
    let token: AccessToken;
    if (credentials === 'metadata') token = await this.fromMetadata(signal);
    else if (credentials.type === 'service_account')
      token = await exchangeForToken(
        credentials.tokenUri,
        {
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: signedAssertion(credentials),
        },
        call,
      );
    else
      token = await exchangeForToken(
        credentials.tokenUri,
        {
          grant_type: 'refresh_token',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          refresh_token: credentials.refreshToken,
        },
        call,
      );
    this.redactor.register(token.value);
    return token;
  }

  private load(): Promise<CredentialsFile | 'metadata'> {
    this.credentials ??= this.locate().then((found) => {
      if (found !== 'metadata') {
        this.redactor.register(found.type === 'service_account' ? found.privateKey : found.clientSecret);
        if (found.type === 'authorized_user') this.redactor.register(found.refreshToken);
      }
      return found;
    });
    // A failed read is not kept: the file may appear, or the option be fixed, before the next attempt.
    this.credentials.catch(() => {
      this.credentials = undefined;
    });
    return this.credentials;
  }

  private async locate(): Promise<CredentialsFile | 'metadata'> {
    if (this.options.serviceAccountKey !== undefined)
      return parseCredentials(this.options.serviceAccountKey, 'the serviceAccountKey option');
    const named = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    if (named) {
      const text = await readFile(named, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new CertkeeperError(
          ErrorCodes.INVALID_OPTION,
          `GOOGLE_APPLICATION_CREDENTIALS names ${named}, which cannot be read (${error.code ?? error.message}).`,
          { hint: 'Point GOOGLE_APPLICATION_CREDENTIALS at a service-account key file, or unset it.' },
        );
      });
      this.redactor.register(text);
      return parseCredentials(text, named);
    }
    const wellKnown =
      process.platform === 'win32'
        ? join(process.env.APPDATA ?? homedir(), 'gcloud', 'application_default_credentials.json')
        : join(
            process.env.CLOUDSDK_CONFIG ?? join(homedir(), '.config', 'gcloud'),
            'application_default_credentials.json',
          );
    const text = await readFile(wellKnown, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      this.redactor.register(text);
      return parseCredentials(text, wellKnown);
    }
    return 'metadata';
  }

  /** The attached service account's token from the metadata server (GCE, GKE workload identity, Cloud Run). */
  private async fromMetadata(signal: AbortSignal | undefined): Promise<AccessToken> {
    const host = this.options.metadataHost;
    const metadata = new ProviderHttpClient({
      provider: PROVIDER_NAME,
      baseUrl: `http://${host}/computeMetadata/v1/`,
      // Without this header the server refuses: it proves the request is not a redirected browser request.
      headers: { 'metadata-flavor': 'Google' },
      timeoutMs: Math.min(this.options.timeoutMs, 10_000),
      retry: { maxDelayMs: this.options.maxRetryWaitMs },
    });
    try {
      const { body } = await metadata.request<{ access_token?: unknown; expires_in?: unknown }>({
        method: 'GET',
        path: 'instance/service-accounts/default/token',
        query: { scopes: CLOUD_DNS_SCOPE },
        operation: 'obtain an access token from the metadata server',
        signal,
      });
      if (typeof body?.access_token !== 'string') throw new Error('no access_token in the answer');
      const seconds = typeof body.expires_in === 'number' ? body.expires_in : 300;
      return { value: body.access_token, expiresAt: Date.now() + seconds * 1000 };
    } catch (error) {
      if (CertkeeperError.isInstance(error) && error.code === ErrorCodes.DNS_PROVIDER_UNAUTHORIZED)
        throw error;
      throw new CertkeeperError(
        ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
        `DNS provider "${PROVIDER_NAME}" found no credentials: no serviceAccountKey option, no GOOGLE_APPLICATION_CREDENTIALS, no gcloud application default credentials, and the metadata server ${host} gave no token (${error instanceof Error ? error.message : String(error)}).`,
        {
          hint: 'Set the serviceAccountKey option to { file: "/path/to/key.json" }, set GOOGLE_APPLICATION_CREDENTIALS, or run on Google Cloud with a service account attached.',
          cause: error,
        },
      );
    }
  }
}

/** The RS256-signed JWT a service account presents to the token endpoint (RFC 7523 §2.1). */
export function signedAssertion(key: ServiceAccountKey, now = Date.now()): string {
  const issuedAt = Math.floor(now / 1000);
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const header = { alg: 'RS256', typ: 'JWT', ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) };
  const claims = {
    iss: key.clientEmail,
    scope: CLOUD_DNS_SCOPE,
    aud: key.tokenUri,
    iat: issuedAt,
    exp: issuedAt + 3600,
  };
  const input = `${encode(header)}.${encode(claims)}`;
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key.privateKey);
  } catch {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `The private_key of the Google service-account key for ${key.clientEmail} is not a PEM private key.`,
      {
        hint: 'Use the JSON key file as downloaded, unmodified (IAM → Service accounts → Keys → Add key → JSON).',
      },
    );
  }
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
}
