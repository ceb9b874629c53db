import type { CertkeeperError } from '@certkeeper/core';
import { providerFailed, providerUnauthorized, zoneNotFound } from '@certkeeper/dns';

export const PROVIDER_NAME = 'route53';

/** The parts of an AWS SDK v3 service exception (or a credential-chain error) this package reads. */
interface AwsErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly messages?: readonly string[];
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

// Codes AWS answers when the signature, the key or the permissions are wrong, and what the credential chain
// throws when it finds nothing. AccessDenied keeps its AWS message: it names the missing IAM action.
const UNAUTHORIZED = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'AccessDenied',
  'AccessDeniedException',
  'CredentialsProviderError',
]);

// Route 53 answers HTTP 400 Throttling ("Rate exceeded") above 5 requests/s per account, and
// PriorRequestNotComplete while an earlier change to the same zone is still being applied.
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'PriorRequestNotComplete',
  'RequestLimitExceeded',
]);

// InvalidChangeBatch messages meaning "the set changed between your read and your write": re-read and retry.
const CONFLICT = /but it already exists|but it was not found|do not match the current values/i;

function asAws(error: unknown): AwsErrorLike {
  return typeof error === 'object' && error !== null ? (error as AwsErrorLike) : { message: String(error) };
}

function messagesOf(error: AwsErrorLike): string {
  const list = error.messages?.length ? error.messages.join('; ') : (error.message ?? '');
  return list.split('\n')[0]!.trim();
}

/** Whether a ChangeResourceRecordSets failure is a lost race with another writer (retry after re-reading). */
export function isChangeConflict(error: unknown): boolean {
  const aws = asAws(error);
  return aws.name === 'InvalidChangeBatch' && CONFLICT.test(messagesOf(aws));
}

/**
 * Turns whatever the SDK threw (after its own retries) into the port's typed errors. Credentials never reach the
 * message: AWS does not echo them, and credential-chain errors are summarised, not quoted.
 */
export function toProviderError(error: unknown, operation: string, zone?: string): CertkeeperError {
  const aws = asAws(error);
  const name = aws.name ?? 'Error';
  const status = aws.$metadata?.httpStatusCode;
  const requestId = aws.$metadata?.requestId;
  const where = `${name}${status ? ` (HTTP ${status})` : ''}${requestId ? `, request id ${requestId}` : ''}`;
  if (UNAUTHORIZED.has(name) || status === 403) {
    const detail =
      name === 'CredentialsProviderError'
        ? 'no AWS credentials were found (environment, shared config/SSO profile, web identity, ECS or EC2 metadata)'
        : name.startsWith('AccessDenied')
          ? `${where}: ${messagesOf(aws)}`
          : where;
    return providerUnauthorized(PROVIDER_NAME, zone, detail);
  }
  if (name === 'NoSuchHostedZone' && zone) return zoneNotFound(PROVIDER_NAME, zone);
  const throttled = THROTTLED.has(name) || status === 429 || /rate exceeded/i.test(aws.message ?? '');
  const transient =
    throttled ||
    (status !== undefined && status >= 500) ||
    (status === undefined && name !== 'AbortError' && name !== 'InvalidChangeBatch');
  const suffix = throttled ? ' (throttled by Route 53 after the SDK retries)' : '';
  const detail = `${where}: ${messagesOf(aws) || 'no message'}${suffix}`;
  return providerFailed(PROVIDER_NAME, operation, detail, { cause: error, retryable: transient });
}
