/**
 * What an ACME URL is, named after the directory fields and RFC 8555 §7.1 resources. `renewalInfo` is RFC 9773
 * (ARI); `orders` is an account's order list; `other` is anything the proxy has not seen announced.
 */
export type ResourceKind =
  | 'directory'
  | 'newNonce'
  | 'newAccount'
  | 'newOrder'
  | 'revokeCert'
  | 'keyChange'
  | 'renewalInfo'
  | 'account'
  | 'orders'
  | 'order'
  | 'authz'
  | 'challenge'
  | 'finalize'
  | 'cert'
  | 'other';

const directoryKinds = new Set<string>(['newNonce', 'newAccount', 'newOrder', 'revokeCert', 'keyChange']);

/**
 * Learns which path is which resource from what the client is told: the directory it receives, `Location` of
 * newAccount/newOrder, the URLs inside orders and authorizations, `Link` headers. Nothing is guessed from a
 * CA's path layout (Pebble's differ from Boulder's on purpose), so the map works for any ACME server, and a
 * directory rewritten by a test (adding `renewalInfo`) is learned as served.
 */
export class ResourceMap {
  readonly #paths = new Map<string, ResourceKind>();
  #renewalInfoPrefix: string | undefined;

  constructor(
    private readonly origin: string,
    private readonly directoryPath: string,
  ) {}

  classify(pathWithQuery: string): ResourceKind {
    const path = pathWithQuery.split('?')[0] ?? pathWithQuery;
    if (path === this.directoryPath) return 'directory';
    const known = this.#paths.get(path);
    if (known) return known;
    const ari = this.#renewalInfoPrefix;
    if (ari && (path.startsWith(ari) || path === ari.slice(0, -1))) return 'renewalInfo';
    return 'other';
  }

  /** The path of a directory resource once the directory has been served, e.g. for `newNonce`. */
  pathOf(kind: ResourceKind): string | undefined {
    for (const [path, known] of this.#paths) if (known === kind) return path;
    return undefined;
  }

  /** Records what a successful response announces. `body` is the parsed JSON body, if any. */
  learn(
    kind: ResourceKind,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    body: unknown,
  ): void {
    const json = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    if (kind === 'directory') {
      for (const [field, value] of Object.entries(json)) {
        if (directoryKinds.has(field)) this.#add(value, field as ResourceKind);
        if (field === 'renewalInfo' && typeof value === 'string') {
          const path = this.#pathOf(value);
          if (path) this.#renewalInfoPrefix = path.endsWith('/') ? path : `${path}/`;
        }
      }
      return;
    }
    if (kind === 'newAccount') this.#add(headers.location, 'account');
    if (kind === 'newOrder') this.#add(headers.location, 'order');
    if (Array.isArray(json.authorizations)) for (const url of json.authorizations) this.#add(url, 'authz');
    this.#add(json.finalize, 'finalize');
    this.#add(json.certificate, 'cert');
    this.#add(json.orders, 'orders');
    if (Array.isArray(json.challenges)) {
      for (const challenge of json.challenges)
        this.#add((challenge as { url?: unknown } | null)?.url, 'challenge');
    }
    for (const { url, rel } of parseLinks(headers.link)) {
      if (kind === 'challenge' && rel === 'up') this.#add(url, 'authz');
      if (kind === 'cert' && rel === 'alternate') this.#add(url, 'cert');
    }
  }

  #add(url: unknown, kind: ResourceKind): void {
    const path = typeof url === 'string' ? this.#pathOf(url) : undefined;
    if (path && path !== this.directoryPath) this.#paths.set(path, kind);
  }

  /** The path of an absolute URL on our own origin; URLs elsewhere are not ours to classify. */
  #pathOf(url: string): string | undefined {
    try {
      const parsed = new URL(url);
      return parsed.origin === this.origin ? parsed.pathname : undefined;
    } catch {
      return undefined;
    }
  }
}

/** `<url>;rel="up", <url2>;rel=alternate` → pairs (RFC 8288, the subset ACME servers send). */
export function parseLinks(header: string | string[] | undefined): { url: string; rel: string }[] {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  const links: { url: string; rel: string }[] = [];
  for (const value of values) {
    for (const match of value.matchAll(/<([^>]*)>\s*;\s*rel="?([^";,]+)"?/g)) {
      links.push({ url: match[1] ?? '', rel: match[2] ?? '' });
    }
  }
  return links;
}
