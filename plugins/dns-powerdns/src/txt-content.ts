/**
 * PowerDNS stores TXT data in zone-file presentation format: each character-string in double quotes, with `"`
 * and `\` escaped and other bytes outside printable ASCII as `\DDD` (RFC 1035 §5.1). The API rejects an
 * unquoted value (HTTP 422 "Not in expected format"), so values are converted both ways, with `@certkeeper/dns`'s
 * presentation-format helpers shared by every provider.
 */
export { quoteTxt, unquoteTxt } from '@certkeeper/dns';
