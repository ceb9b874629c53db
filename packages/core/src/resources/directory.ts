import { ProtocolError } from '../errors/transport-errors.js';
import { requireHttpsUrl } from '../http/https-only.js';

/** RFC 8555 §7.1.1 directory, with RFC 9773's `renewalInfo` and the `profiles` meta field. */
export interface Directory {
  readonly newNonce: string;
  readonly newAccount: string;
  readonly newOrder: string;
  readonly revokeCert: string;
  readonly keyChange?: string;
  readonly newAuthz?: string;
  readonly renewalInfo?: string;
  readonly meta?: DirectoryMeta;
}

export interface DirectoryMeta {
  readonly termsOfService?: string;
  readonly website?: string;
  readonly caaIdentities?: readonly string[];
  readonly externalAccountRequired?: boolean;
  /** Profile name → human description (draft-aaron-acme-profiles), as Let's Encrypt advertises. */
  readonly profiles?: Readonly<Record<string, string>>;
}

const requiredUrls = ['newNonce', 'newAccount', 'newOrder', 'revokeCert'] as const;
const optionalUrls = ['keyChange', 'newAuthz', 'renewalInfo'] as const;

/**
 * Check a directory before anything is sent to it: the four required endpoints are there, and every endpoint is an
 * HTTPS URL (RFC 8555 §6.1) — so a directory pointing newAccount at `http://` is refused before a signed request or a
 * contact address goes out in clear text. `allowInsecureHttp` is for a local test CA the user named explicitly.
 */
export function parseDirectory(body: unknown, url: string, allowInsecureHttp = false): Directory {
  if (typeof body !== 'object' || body === null) {
    throw new ProtocolError(`The directory at ${url} is not a JSON object; is this an ACME directory URL?`);
  }
  const directory = body as Record<string, unknown>;
  const missing = requiredUrls.filter((name) => typeof directory[name] !== 'string');
  if (missing.length > 0) {
    throw new ProtocolError(
      `The directory at ${url} lacks ${missing.join(', ')}; is this an RFC 8555 (ACME v2) directory URL?`,
    );
  }
  for (const name of [...requiredUrls, ...optionalUrls]) {
    const value = directory[name];
    if (value === undefined) continue;
    if (typeof value !== 'string')
      throw new ProtocolError(`The directory at ${url} has a ${name} that is not a URL string.`);
    requireHttpsUrl(value, `directory field ${name} of ${url}`, allowInsecureHttp);
  }
  return directory as unknown as Directory;
}
