/** The parts of a flattened JWS (RFC 8555 §6.2) a test wants to see, decoded; the signature is not checked. */
export interface DecodedJws {
  /** The protected header: `alg`, `nonce`, `url`, and `kid` or `jwk`. */
  readonly protected: Readonly<Record<string, unknown>>;
  /** The payload as text: `''` for POST-as-GET, `'{}'` when answering a challenge, JSON otherwise. */
  readonly payload: string;
}

/** Decodes an ACME request body, or returns undefined when it is not a flattened JWS. */
export function decodeJws(body: Buffer): DecodedJws | undefined {
  if (body.length === 0) return undefined;
  try {
    const jws = JSON.parse(body.toString('utf8')) as { protected?: unknown; payload?: unknown };
    if (typeof jws.protected !== 'string' || typeof jws.payload !== 'string') return undefined;
    const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null) return undefined;
    return {
      protected: header as Record<string, unknown>,
      payload: Buffer.from(jws.payload, 'base64url').toString('utf8'),
    };
  } catch {
    return undefined;
  }
}
