/**
 * TSIG algorithms (RFC 8945 §6) mapped to Node's HMAC digest names. The DNS name is what goes on the wire and
 * into the MAC; BIND's short names (`hmac-sha256`) are accepted in configuration.
 */
const ALGORITHMS = {
  'hmac-sha256': { wireName: 'hmac-sha256', digest: 'sha256' },
  'hmac-sha512': { wireName: 'hmac-sha512', digest: 'sha512' },
  'hmac-sha384': { wireName: 'hmac-sha384', digest: 'sha384' },
  'hmac-sha224': { wireName: 'hmac-sha224', digest: 'sha224' },
  // RFC 8945 §6: hmac-sha1 is still "MUST implement" for interoperability but NOT RECOMMENDED for new keys.
  'hmac-sha1': { wireName: 'hmac-sha1', digest: 'sha1' },
  // Legacy keys made with `dnssec-keygen -a HMAC-MD5` are still common; MD5 is deprecated, never a default.
  'hmac-md5': { wireName: 'hmac-md5.sig-alg.reg.int', digest: 'md5' },
} as const;

export type TsigAlgorithm = keyof typeof ALGORITHMS;

export const TSIG_ALGORITHMS = Object.keys(ALGORITHMS) as TsigAlgorithm[];

export interface AlgorithmInfo {
  readonly name: TsigAlgorithm;
  /** Domain name of the algorithm as sent in the TSIG RR. */
  readonly wireName: string;
  readonly digest: string;
}

/** Looks an algorithm up by its configuration name or wire name, case-insensitively; undefined if unknown. */
export function findAlgorithm(name: string): AlgorithmInfo | undefined {
  const wanted = name.trim().toLowerCase().replace(/\.$/, '');
  for (const [key, info] of Object.entries(ALGORITHMS)) {
    if (key === wanted || info.wireName === wanted) return { name: key as TsigAlgorithm, ...info };
  }
  return undefined;
}
