import { base64url, FlattenedSign } from 'jose';
import type { AccountKey } from '../crypto/account-key.js';
import { AccountDoesNotExistError } from '../errors/acme-problem-error.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { ProtocolError } from '../errors/transport-errors.js';
import { type AccountOrders, type AccountOrdersLimits, listAccountOrders } from './account-orders.js';
import { type AcmeSession, requireAccountUrl } from './session.js';

/** RFC 8555 §7.1.2 account object. */
export interface Account {
  readonly status: 'valid' | 'deactivated' | 'revoked';
  readonly contact?: readonly string[];
  readonly termsOfServiceAgreed?: boolean;
  readonly orders?: string;
}

export interface AccountWithUrl {
  readonly url: string;
  readonly account: Account;
  /** True when the CA created it now (201), false when it already existed (200). */
  readonly created: boolean;
}

/** External Account Binding credentials (RFC 8555 §7.3.4), issued by the CA out of band. */
export interface ExternalAccountBinding {
  readonly kid: string;
  /** The MAC key as the CA gives it: base64url. Never logged, never put in an error message. */
  readonly hmacKey: string;
}

export interface CreateAccountOptions {
  readonly contact?: readonly string[];
  readonly termsOfServiceAgreed?: boolean;
  readonly externalAccountBinding?: ExternalAccountBinding;
  readonly signal?: AbortSignal;
}

/** Account operations (RFC 8555 §7.3). */
export class AccountService {
  constructor(private readonly session: AcmeSession) {}

  /** Register the account key, or get back the account it already has (the CA answers 200 then). */
  async create(options: CreateAccountOptions = {}): Promise<AccountWithUrl> {
    const { transport, accountKey } = this.session;
    const directory = await transport.directory(options.signal);
    if (directory.meta?.externalAccountRequired && !options.externalAccountBinding) {
      throw new CertkeeperError(
        ErrorCodes.UNSUPPORTED_BY_CA,
        `The CA at ${transport.directoryUrl} requires External Account Binding.`,
        {
          hint: 'pass externalAccountBinding { kid, hmacKey } from the CA’s account page (CLI: --eab-kid, --eab-hmac-key).',
        },
      );
    }
    const payload: Record<string, unknown> = { termsOfServiceAgreed: options.termsOfServiceAgreed ?? true };
    if (options.contact) payload.contact = options.contact;
    if (options.externalAccountBinding) {
      payload.externalAccountBinding = await signExternalAccountBinding(
        options.externalAccountBinding,
        accountKey,
        directory.newAccount,
      );
    }
    const response = await transport.post<Account>(directory.newAccount, payload, {
      key: accountKey,
      resource: 'account',
      signal: options.signal,
    });
    return this.remember(response.location, response.body, response.status === 201);
  }

  /** Find the account registered for this key without creating one (`onlyReturnExisting`). */
  async find(signal?: AbortSignal): Promise<AccountWithUrl | undefined> {
    const { transport, accountKey } = this.session;
    const directory = await transport.directory(signal);
    try {
      const response = await transport.post<Account>(
        directory.newAccount,
        { onlyReturnExisting: true },
        { key: accountKey, resource: 'account', signal },
      );
      return this.remember(response.location, response.body, false);
    } catch (error) {
      if (AccountDoesNotExistError.isInstance(error) && error.type === 'accountDoesNotExist')
        return undefined;
      throw error;
    }
  }

  async get(signal?: AbortSignal): Promise<Account> {
    const url = requireAccountUrl(this.session);
    const response = await this.session.transport.post<Account>(url, '', {
      key: this.session.accountKey,
      kid: url,
      resource: 'account',
      signal,
    });
    return response.body;
  }

  /**
   * The orders this account created, from its `orders` list (RFC 8555 §7.1.2.1); `undefined` when the CA offers
   * no list (Let's Encrypt). Costs one request for the account and one per page.
   */
  async orders(limits?: AccountOrdersLimits, signal?: AbortSignal): Promise<AccountOrders | undefined> {
    const account = await this.get(signal);
    return listAccountOrders(this.session, account.orders, limits, signal);
  }

  async updateContact(contact: readonly string[], signal?: AbortSignal): Promise<Account> {
    const url = requireAccountUrl(this.session);
    const response = await this.session.transport.post<Account>(
      url,
      { contact },
      {
        key: this.session.accountKey,
        kid: url,
        resource: 'account',
        signal,
      },
    );
    return response.body;
  }

  /**
   * Replace the account key (RFC 8555 §7.3.5). The inner JWS is signed by the new key, the outer by the old;
   * on success the session switches to the new key. The caller must persist the new key before using it.
   */
  async rolloverKey(newKey: AccountKey, signal?: AbortSignal): Promise<void> {
    const url = requireAccountUrl(this.session);
    const { transport } = this.session;
    const directory = await transport.directory(signal);
    if (!directory.keyChange) {
      throw new CertkeeperError(
        ErrorCodes.UNSUPPORTED_BY_CA,
        `The CA at ${transport.directoryUrl} offers no keyChange endpoint.`,
      );
    }
    const inner = await new FlattenedSign(
      new TextEncoder().encode(JSON.stringify({ account: url, oldKey: this.session.accountKey.publicJwk })),
    )
      .setProtectedHeader({ alg: newKey.alg, jwk: newKey.publicJwk, url: directory.keyChange })
      .sign(newKey.privateKey);
    await transport.post(directory.keyChange, inner, {
      key: this.session.accountKey,
      kid: url,
      resource: 'account',
      signal,
    });
    this.session.accountKey = newKey;
  }

  /** Deactivate the account (RFC 8555 §7.3.6). Irreversible: the CA will refuse every later request. */
  async deactivate(signal?: AbortSignal): Promise<Account> {
    const url = requireAccountUrl(this.session);
    const response = await this.session.transport.post<Account>(
      url,
      { status: 'deactivated' },
      {
        key: this.session.accountKey,
        kid: url,
        resource: 'account',
        signal,
      },
    );
    return response.body;
  }

  private remember(location: string | undefined, account: Account, created: boolean): AccountWithUrl {
    if (!location)
      throw new ProtocolError('The CA answered newAccount without a Location header (the account URL).');
    this.session.accountUrl = location;
    return { url: location, account, created };
  }
}

/** RFC 8555 §7.3.4: an HS256 JWS over the account's public JWK, keyed by the CA-issued MAC key. */
async function signExternalAccountBinding(eab: ExternalAccountBinding, accountKey: AccountKey, url: string) {
  let macKey: Uint8Array;
  try {
    macKey = base64url.decode(eab.hmacKey);
  } catch (cause) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `The EAB HMAC key for key id "${eab.kid}" is not base64url.`,
      {
        hint: 'copy the HMAC key exactly as the CA shows it.',
        cause,
      },
    );
  }
  return new FlattenedSign(new TextEncoder().encode(JSON.stringify(accountKey.publicJwk)))
    .setProtectedHeader({ alg: 'HS256', kid: eab.kid, url })
    .sign(macKey);
}
