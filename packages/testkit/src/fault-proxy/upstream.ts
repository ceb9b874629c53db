import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

// RFC 9110 §7.6.1: connection-specific fields a proxy must not forward.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Copies headers a proxy may forward; drops hop-by-hop fields and any length, which the sender recomputes. */
export function forwardableHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const result: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!hopByHop.has(name) && name !== 'content-length' && value !== undefined) result[name] = value;
  }
  return result;
}

/** A keep-alive connection pool to the proxied server, trusting `caPem` when given. */
export class Upstream {
  readonly #agent: HttpAgent;
  readonly #secure: boolean;

  constructor(
    readonly target: URL,
    caPem?: string,
  ) {
    this.#secure = target.protocol === 'https:';
    this.#agent = this.#secure
      ? new HttpsAgent({ keepAlive: true, ...(caPem ? { ca: caPem } : {}) })
      : new HttpAgent({ keepAlive: true });
  }

  /**
   * Sends one request. The client's `Host` header is kept on purpose: an ACME server checks the JWS `url`
   * against its own idea of the request URL, built from `Host` (Pebble: `https://` + Host + path), and builds the
   * URLs it returns from it as well. Keeping it is what lets a client sign proxy URLs and still be accepted.
   */
  send(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<RawResponse> {
    const send = this.#secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        {
          protocol: this.target.protocol,
          hostname: this.target.hostname,
          port: this.target.port,
          method,
          path,
          agent: this.#agent,
          headers: { ...forwardableHeaders(headers), 'content-length': String(body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: distinct(res.headersDistinct),
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

// Node joins repeated fields such as `Link` with ", "; keeping them apart lets the client see what the server sent.
function distinct(headers: NodeJS.Dict<string[]>): IncomingHttpHeaders {
  const result: IncomingHttpHeaders = {};
  for (const [name, values = []] of Object.entries(headers)) {
    result[name] = values.length === 1 ? values[0] : values;
  }
  return result;
}
