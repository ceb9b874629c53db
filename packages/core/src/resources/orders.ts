import type { AcmeProblem } from '../errors/acme-problem-error.js';
import { ProtocolError } from '../errors/transport-errors.js';
import type { Identifier } from '../identifiers/identifier.js';
import type { AcmeResponse } from '../transport/acme-transport.js';
import { type AcmeSession, requireAccountUrl } from './session.js';

export type OrderStatus = 'pending' | 'ready' | 'processing' | 'valid' | 'invalid';

/** RFC 8555 §7.1.3 order object. */
export interface Order {
  readonly status: OrderStatus;
  readonly expires?: string;
  readonly identifiers: readonly Identifier[];
  readonly profile?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly error?: AcmeProblem;
  readonly authorizations: readonly string[];
  readonly finalize: string;
  readonly certificate?: string;
  readonly replaces?: string;
}

export interface OrderWithUrl {
  readonly url: string;
  readonly order: Order;
  readonly retryAfter: Date | undefined;
}

export interface NewOrderRequest {
  readonly identifiers: readonly Identifier[];
  /** A profile the directory advertises in `meta.profiles`. */
  readonly profile?: string;
  /** RFC 9773: the ARI certificate identifier of the certificate this order replaces. */
  readonly replaces?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly signal?: AbortSignal;
}

/** Order operations (RFC 8555 §7.4). */
export class OrderService {
  constructor(private readonly session: AcmeSession) {}

  /**
   * Post newOrder. Not repeated after a network failure: if the first attempt reached the CA, a repeat would
   * create a second order (Pebble) or spend another new-order token (Let's Encrypt hands back the pending one).
   */
  async create(request: NewOrderRequest): Promise<OrderWithUrl> {
    const kid = requireAccountUrl(this.session);
    const directory = await this.session.transport.directory(request.signal);
    const payload: Record<string, unknown> = {
      identifiers: request.identifiers.map(({ type, value }) => ({ type, value })),
    };
    if (request.profile) payload.profile = request.profile;
    if (request.replaces) payload.replaces = request.replaces;
    if (request.notBefore) payload.notBefore = request.notBefore;
    if (request.notAfter) payload.notAfter = request.notAfter;
    const response = await this.session.transport.post<Order>(directory.newOrder, payload, {
      key: this.session.accountKey,
      kid,
      repeatable: false,
      resource: 'order',
      signal: request.signal,
    });
    if (!response.location)
      throw new ProtocolError('The CA answered newOrder without a Location header (the order URL).');
    return withUrl(response, response.location);
  }

  /** POST-as-GET the order. */
  async get(url: string, signal?: AbortSignal): Promise<OrderWithUrl> {
    const response = await this.session.transport.post<Order>(url, '', {
      key: this.session.accountKey,
      kid: requireAccountUrl(this.session),
      resource: 'order',
      signal,
    });
    return withUrl(response, url);
  }

  /** Finalize with a DER CSR (RFC 8555 §7.4). Returns the order as the CA answered (often `processing`). */
  async finalize(
    orderUrl: string,
    finalizeUrl: string,
    csrDer: Uint8Array,
    signal?: AbortSignal,
  ): Promise<OrderWithUrl> {
    const response = await this.session.transport.post<Order>(
      finalizeUrl,
      { csr: Buffer.from(csrDer).toString('base64url') },
      { key: this.session.accountKey, kid: requireAccountUrl(this.session), resource: 'order', signal },
    );
    return withUrl(response, orderUrl);
  }
}

function withUrl(response: AcmeResponse<Order>, url: string): OrderWithUrl {
  const order = response.body;
  if (
    typeof order !== 'object' ||
    order === null ||
    !Array.isArray(order.authorizations) ||
    !order.finalize
  ) {
    throw new ProtocolError(`The CA's order at ${url} lacks authorizations or a finalize URL.`);
  }
  return { url, order, retryAfter: response.retryAfter };
}
