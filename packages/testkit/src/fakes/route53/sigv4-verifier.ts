import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Route53Fault } from './route53-store.js';

/** An access key the fake accepts, with the IAM-like policy it is allowed (default: everything). */
export interface FakeAwsCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly policy?: FakeRoute53Policy;
}

/** The parts of an IAM policy the fake enforces, mirroring the README's least-privilege policy. */
export interface FakeRoute53Policy {
  /** Allowed actions, e.g. `route53:ChangeResourceRecordSets`. */
  readonly actions: readonly string[];
  /** Hosted zone ids zone-scoped actions are allowed on; default all. */
  readonly hostedZoneIds?: readonly string[];
  /** `route53:ChangeResourceRecordSetsNormalizedRecordNames` StringLike patterns (`*` wildcard); default any. */
  readonly recordNames?: readonly string[];
  /** `route53:ChangeResourceRecordSetsRecordTypes`; default any. */
  readonly recordTypes?: readonly string[];
}

export interface IncomingSignedRequest {
  readonly method: string;
  /** Path as sent (still percent-encoded), without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** Node's SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 expects. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

class NodeSha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * Checks a request's SigV4 signature the way AWS does, answering with the error codes the real service uses:
 * MissingAuthenticationToken, IncompleteSignature, InvalidClientTokenId (unknown key id), SignatureDoesNotMatch
 * (wrong secret, wrong scope, a request changed after signing, clock skew over 15 minutes). The expected signature is computed
 * with @smithy/signature-v4 over exactly the headers the client listed in SignedHeaders.
 */
export async function verifySigV4(
  request: IncomingSignedRequest,
  credentials: readonly FakeAwsCredential[],
  now: Date = new Date(),
): Promise<FakeAwsCredential> {
  const header = single(request.headers.authorization);
  if (!header) throw new Route53Fault(403, 'MissingAuthenticationToken', 'Missing Authentication Token');
  const match = AUTH.exec(header);
  if (!match)
    throw new Route53Fault(
      403,
      'IncompleteSignature',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
    );
  const [, accessKeyId, shortDate, region, service, signedHeaders] = match as unknown as string[];
  const credential = credentials.find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!credential)
    throw new Route53Fault(
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
  if (
    credential.sessionToken !== undefined &&
    single(request.headers['x-amz-security-token']) !== credential.sessionToken
  )
    throw new Route53Fault(
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
  if (service !== 'route53')
    throw new Route53Fault(
      403,
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: 'route53'.`,
    );
  if (region !== 'us-east-1')
    throw new Route53Fault(
      403,
      'SignatureDoesNotMatch',
      `Credential should be scoped to a valid region, not '${region}'.`,
    );
  const amzDate = single(request.headers['x-amz-date']) ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt || !amzDate.startsWith(shortDate!))
    throw new Route53Fault(
      403,
      'IncompleteSignature',
      "Date must be in ISO-8601 'basic format' and match the credential scope.",
    );
  if (Math.abs(now.getTime() - signedAt.getTime()) > 15 * 60_000)
    throw new Route53Fault(
      403,
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier or later than 15 minutes from ${now.toISOString()}.`,
    );
  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(';')) {
    const value = request.headers[name];
    if (value === undefined)
      throw new Route53Fault(
        403,
        'SignatureDoesNotMatch',
        `Signed header ${name} is missing from the request.`,
      );
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // Like AWS, hash the payload actually received: a body changed after signing then fails the signature check
  // whether or not the client sent x-amz-content-sha256.
  if (headers['x-amz-content-sha256'] !== undefined)
    headers['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
  const signer = new SignatureV4({
    service: 'route53',
    region: 'us-east-1',
    credentials: {
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      ...(credential.sessionToken ? { sessionToken: credential.sessionToken } : {}),
    },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of request.query) {
    const prior = query[name];
    query[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  const host = headers.host ?? '';
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: host.split(':')[0] ?? host,
      path: request.path,
      query,
      headers,
      body: request.body,
    } as unknown as Parameters<SignatureV4['sign']>[0],
    { signingDate: signedAt, signableHeaders: new Set(Object.keys(headers)) },
  );
  if ((signed as { headers: Record<string, string> }).headers.authorization !== header) {
    throw new Route53Fault(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return credential;
}

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}
