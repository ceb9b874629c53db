/** The TTLs the Linode API stores (`ttl_sec`); it rounds any other value to the nearest of these. */
export const LINODE_TTLS = [
  30, 120, 300, 3600, 7200, 14_400, 28_800, 57_600, 86_400, 172_800, 345_600, 604_800, 1_209_600, 2_419_200,
] as const;

/**
 * The TTL to send for a requested one: the smallest valid TTL not below it. Sent explicitly, so the API's own
 * rounding (to the *nearest* value, which can shorten a TTL) never applies, and 0 ("zone default") is never sent.
 */
export function linodeTtl(requested: number): number {
  return LINODE_TTLS.find((valid) => valid >= requested) ?? 2_419_200;
}
