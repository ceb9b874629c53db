import { InsecureUrlError } from '../errors/insecure-url-error.js';

/**
 * RFC 8555 §6.1: every ACME URL is HTTPS. Returns `url` when it is `https:` (or `http:` when the caller explicitly
 * allowed an insecure test CA); throws {@link InsecureUrlError} naming `source` otherwise, before anything is sent.
 */
export function requireHttpsUrl(url: string, source: string, allowInsecureHttp = false): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === 'https:' || (allowInsecureHttp && protocol === 'http:')) return url;
  throw new InsecureUrlError(url, source);
}
