/**
 * Where a person fixes a zone whose servers cannot be found or reached: the CLI's solver key and the library's
 * option, in one phrase, so every discovery error names keys that exist for both.
 */
export const FIXED_SERVERS_HINT =
  "the dns-01 solver's `nameservers` (CLI config) or Dns01Solver's `discovery.fixedServers`";
