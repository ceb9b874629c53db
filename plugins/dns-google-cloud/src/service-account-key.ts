import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** The fields of a service-account key (`"type": "service_account"`) used to sign the token request. */
export interface ServiceAccountKey {
  readonly type: 'service_account';
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly privateKeyId: string | undefined;
  readonly tokenUri: string;
  readonly projectId: string | undefined;
}

/** gcloud's `application_default_credentials.json` after `gcloud auth application-default login`. */
export interface AuthorizedUserKey {
  readonly type: 'authorized_user';
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly tokenUri: string;
  readonly projectId: string | undefined;
}

export type CredentialsFile = ServiceAccountKey | AuthorizedUserKey;

/**
 * Reads a credentials JSON document. `source` says where it came from for messages (`the serviceAccountKey
 * option`, a file path); the content itself is never quoted.
 *
 * @throws CertkeeperError INVALID_OPTION when it is not JSON, of another type, or lacks a field.
 */
export function parseCredentials(text: string, source: string): CredentialsFile {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid(source, 'is not JSON');
  }
  const field = (name: string): string | undefined =>
    typeof json[name] === 'string' && json[name] !== '' ? (json[name] as string) : undefined;
  const required = (name: string): string => {
    const value = field(name);
    if (value === undefined) throw invalid(source, `has no "${name}"`);
    return value;
  };
  const tokenUri = field('token_uri') ?? GOOGLE_TOKEN_URI;
  if (!/^https?:\/\//.test(tokenUri)) throw invalid(source, 'has a "token_uri" that is not an http(s) URL');
  if (json.type === 'service_account')
    return {
      type: 'service_account',
      clientEmail: required('client_email'),
      privateKey: required('private_key'),
      privateKeyId: field('private_key_id'),
      tokenUri,
      projectId: field('project_id'),
    };
  if (json.type === 'authorized_user')
    return {
      type: 'authorized_user',
      clientId: required('client_id'),
      clientSecret: required('client_secret'),
      refreshToken: required('refresh_token'),
      tokenUri,
      projectId: field('quota_project_id'),
    };
  throw invalid(source, `is of type "${String(json.type)}"; expected "service_account" or "authorized_user"`);
}

function invalid(source: string, what: string): CertkeeperError {
  return new CertkeeperError(ErrorCodes.INVALID_OPTION, `The Google credentials in ${source} ${what}.`, {
    hint: 'Use the JSON key downloaded from IAM → Service accounts → Keys (reference it as { file: path }), or leave serviceAccountKey out for application default credentials.',
  });
}
