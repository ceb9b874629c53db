import { createHash } from 'node:crypto';
import type { AccountKey } from '../crypto/account-key.js';
import type { Challenge } from './authorizations.js';
import { type AcmeSession, requireAccountUrl } from './session.js';

export interface ChallengeResponse {
  readonly challenge: Challenge;
  readonly retryAfter: Date | undefined;
}

/** Challenge operations (RFC 8555 §7.5.1) and the values a solver publishes (§8.1, §8.3, §8.4, RFC 8737). */
export class ChallengeService {
  constructor(private readonly session: AcmeSession) {}

  /**
   * Tell the CA the response is in place: POST `{}` (an empty object, not POST-as-GET's empty payload). The
   * CA's `Retry-After`, if it sent one, says when polling is worth it (RFC 8555 §8.2).
   */
  async respond(url: string, signal?: AbortSignal): Promise<ChallengeResponse> {
    const response = await this.session.transport.post<Challenge>(
      url,
      {},
      {
        key: this.session.accountKey,
        kid: requireAccountUrl(this.session),
        resource: 'challenge',
        signal,
      },
    );
    return { challenge: response.body, retryAfter: response.retryAfter };
  }

  /** `token || '.' || base64url(JWK thumbprint of the account key)`. */
  keyAuthorization(token: string): Promise<string> {
    return keyAuthorization(token, this.session.accountKey);
  }
}

export async function keyAuthorization(token: string, accountKey: AccountKey): Promise<string> {
  return `${token}.${accountKey.thumbprint}`;
}

/** dns-01 TXT value: base64url(SHA-256(keyAuthorization)). */
export function dnsTxtValue(keyAuthorization: string): string {
  return createHash('sha256').update(keyAuthorization).digest('base64url');
}

/** tls-alpn-01 (RFC 8737 §3): SHA-256(keyAuthorization), carried in the acmeIdentifier extension. */
export function tlsAlpnDigest(keyAuthorization: string): Buffer {
  return createHash('sha256').update(keyAuthorization).digest();
}
