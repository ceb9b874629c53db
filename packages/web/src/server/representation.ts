import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/** One resource in every encoding it is served in, and the digest its ETags derive from. */
export interface Representations {
  readonly identity: Buffer;
  readonly br?: Buffer;
  readonly gzip?: Buffer;
  /** A digest of the identity bytes (unquoted). */
  readonly digest: string;
  readonly type: string;
}

/**
 * A body generated at run time (the API's JSON), compressed on first demand per encoding with fast settings: it is
 * made again on every change, and most clients want one encoding only.
 */
export function compressed(identity: Buffer, digest: string, type: string): Representations {
  let br: Buffer | undefined;
  let gzip: Buffer | undefined;
  return {
    identity,
    digest,
    type,
    get br() {
      br ??= brotliCompressSync(identity, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
      });
      return br;
    },
    get gzip() {
      gzip ??= gzipSync(identity, { level: 6 });
      return gzip;
    },
  };
}

/** The best encoding the client accepts (RFC 9110 §12.5.3), brotli first: it is the smallest. */
export function negotiate(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [coding = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    accepted.set(coding.trim(), q === undefined ? 1 : Number(q));
  }
  const allows = (coding: string) => (accepted.get(coding) ?? accepted.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return 'identity';
}

/**
 * Send the representation the client accepts, with a strong ETag per encoding (RFC 9110 §8.8.3: each encoding is
 * a different representation) and 304 when the client has it already.
 */
export function sendRepresentation(
  request: IncomingMessage,
  response: ServerResponse,
  representations: Representations,
  cacheControl: string,
): void {
  let encoding = negotiate(request.headers['accept-encoding']);
  if (encoding !== 'identity' && !representations[encoding]) encoding = 'identity';
  const body = encoding === 'identity' ? representations.identity : representations[encoding]!;
  const etag = `"${representations.digest}${encoding === 'identity' ? '' : `-${encoding}`}"`;
  const headers: Record<string, string | number> = {
    etag,
    'cache-control': cacheControl,
    vary: 'Accept-Encoding',
  };
  if (matches(request.headers['if-none-match'], etag)) {
    response.writeHead(304, headers).end();
    return;
  }
  response.writeHead(200, {
    ...headers,
    'content-type': representations.type,
    'content-length': body.length,
    ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
