/**
 * TXT `content` for the Cloudflare API. Cloudflare documents TXT content as RFC 1035 quoted character-strings (at
 * most 255 octets each) and shows a warning on records sent unquoted, so values are sent quoted; records created
 * by other tools may read back unquoted, so both forms are decoded. The conversion is `@certkeeper/dns`'s
 * presentation-format one, shared by every provider.
 */
export { quoteTxt as quoteContent, unquoteTxt as unquoteContent } from '@certkeeper/dns';
