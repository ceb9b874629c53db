import type { AcmeProblem } from '../errors/acme-problem-error.js';
import { ProtocolError } from '../errors/transport-errors.js';
import type { Identifier } from '../identifiers/identifier.js';
import { type AcmeSession, requireAccountUrl } from './session.js';

export type AuthorizationStatus = 'pending' | 'valid' | 'invalid' | 'deactivated' | 'expired' | 'revoked';
export type ChallengeStatus = 'pending' | 'processing' | 'valid' | 'invalid';

/** RFC 8555 §8 challenge object. */
export interface Challenge {
  readonly type: string;
  readonly url: string;
  readonly status: ChallengeStatus;
  readonly token?: string;
  /** dns-persist-01 (draft-ietf-acme-dns-persist): the CA's issuer domain names a standing record may name. */
  readonly 'issuer-domain-names'?: readonly string[];
  readonly validated?: string;
  readonly error?: AcmeProblem;
}

/** RFC 8555 §7.1.4 authorization object. */
export interface Authorization {
  readonly identifier: Identifier;
  readonly status: AuthorizationStatus;
  readonly expires?: string;
  readonly challenges: readonly Challenge[];
  readonly wildcard?: boolean;
}

export interface AuthorizationWithUrl {
  readonly url: string;
  readonly authorization: Authorization;
  readonly retryAfter: Date | undefined;
}

/** Authorization operations (RFC 8555 §7.5). */
export class AuthorizationService {
  constructor(private readonly session: AcmeSession) {}

  async get(url: string, signal?: AbortSignal): Promise<AuthorizationWithUrl> {
    const response = await this.session.transport.post<Authorization>(url, '', {
      key: this.session.accountKey,
      kid: requireAccountUrl(this.session),
      resource: 'authorization',
      signal,
    });
    const authorization = response.body;
    if (typeof authorization !== 'object' || authorization === null || !authorization.identifier) {
      throw new ProtocolError(`The CA's authorization at ${url} has no identifier.`);
    }
    return {
      url,
      authorization: { ...authorization, challenges: authorization.challenges ?? [] },
      retryAfter: response.retryAfter,
    };
  }

  /**
   * Deactivate a pending authorization of an order being abandoned (RFC 8555 §7.5.2), so it does not linger
   * and count against pending-authorization limits. Never "flush" one by answering its challenge instead: a
   * failed validation spends the authorization-failure budget.
   */
  async deactivate(url: string, signal?: AbortSignal): Promise<Authorization> {
    const response = await this.session.transport.post<Authorization>(
      url,
      { status: 'deactivated' },
      {
        key: this.session.accountKey,
        kid: requireAccountUrl(this.session),
        resource: 'authorization',
        signal,
      },
    );
    return response.body;
  }
}
