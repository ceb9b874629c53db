import type { AccountKey } from './crypto/account-key.js';
import { readTrustAnchors } from './crypto/trust-anchors.js';
import { HttpClient, type HttpClientOptions } from './http/http-client.js';
import type { Clock } from './ports/clock.js';
import type { Logger } from './ports/logger.js';
import { AccountService } from './resources/accounts.js';
import { AuthorizationService } from './resources/authorizations.js';
import { CertificateService } from './resources/certificates.js';
import { ChallengeService } from './resources/challenges.js';
import type { Directory } from './resources/directory.js';
import { OrderService } from './resources/orders.js';
import type { AcmeSession } from './resources/session.js';
import { AcmeTransport, type AcmeTransportOptions } from './transport/acme-transport.js';

export interface AcmeClientOptions extends HttpClientOptions {
  readonly directoryUrl: string;
  readonly accountKey: AccountKey;
  /** A stored account URL: skips registration (one request fewer per process). */
  readonly accountUrl?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly maxBadNonceRetries?: AcmeTransportOptions['maxBadNonceRetries'];
  readonly maxInlineRetryAfterMs?: AcmeTransportOptions['maxInlineRetryAfterMs'];
  readonly networkRetries?: AcmeTransportOptions['networkRetries'];
  readonly maxRetryAfterMs?: AcmeTransportOptions['maxRetryAfterMs'];
  readonly allowInsecureHttp?: AcmeTransportOptions['allowInsecureHttp'];
  readonly rateLimiter?: AcmeTransportOptions['rateLimiter'];
  readonly nonceWaitMs?: AcmeTransportOptions['nonceWaitMs'];
  /**
   * PEM root (or intermediate) certificates the issued chains must end at or under, e.g. ISRG Root X1 and X2 for
   * Let's Encrypt. Without them every other check still runs (key, names, validity, links), but a chain to an
   * unknown root cannot be told from one to the CA's.
   */
  readonly trustAnchors?: string | readonly string[];
}

/**
 * One ACME account at one CA: the transport below, one service per resource above (as lego's `core.Orders`,
 * `core.Authorizations`). Holds no order state: that lives in `OrderState`, driven by the step engine.
 */
export class AcmeClient implements AcmeSession {
  readonly transport: AcmeTransport;
  accountKey: AccountKey;
  accountUrl: string | undefined;
  readonly accounts: AccountService;
  readonly orders: OrderService;
  readonly authorizations: AuthorizationService;
  readonly challenges: ChallengeService;
  readonly certificates: CertificateService;
  /** The trust anchors issued chains are checked against, one PEM per certificate. */
  readonly trustAnchors: readonly string[];
  private readonly http: HttpClient;

  constructor(options: AcmeClientOptions) {
    this.trustAnchors = readTrustAnchors(options.trustAnchors);
    this.http = new HttpClient(options);
    this.transport = new AcmeTransport({ ...options, http: this.http });
    this.accountKey = options.accountKey;
    this.accountUrl = options.accountUrl;
    this.accounts = new AccountService(this);
    this.orders = new OrderService(this);
    this.authorizations = new AuthorizationService(this);
    this.challenges = new ChallengeService(this);
    this.certificates = new CertificateService(this);
  }

  get directoryUrl(): string {
    return this.transport.directoryUrl;
  }

  directory(signal?: AbortSignal): Promise<Directory> {
    return this.transport.directory(signal);
  }

  /** Release keep-alive connections. */
  close(): Promise<void> {
    return this.http.close();
  }
}
