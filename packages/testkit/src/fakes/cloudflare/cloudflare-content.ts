import { quoteTxt, unquoteTxt } from '@certkeeper/dns';

/**
 * TXT `content` as Cloudflare handles it. The API documents content as RFC 1035 quoted character-strings of at most
 * 255 octets each, split automatically when longer; unquoted content is still accepted (the dashboard then warns
 * "must be in quotation marks") and reads back quoted.
 */

/** The value a resolver sees: the record's strings concatenated (unquoted content is taken as is). */
export const decodeContent = unquoteTxt;

/** How the API returns stored content: quoted content as stored; unquoted content quoted, in 255-octet strings. */
export function presentContent(content: string): string {
  return content.trim().startsWith('"') ? content : quoteTxt(content);
}
