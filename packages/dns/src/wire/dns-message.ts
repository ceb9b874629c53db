import type { ServerAddress } from './server-address.js';

/** The record types this package asks for. */
export type QueryType = 'TXT' | 'SOA' | 'NS' | 'A' | 'AAAA' | 'CNAME';

export interface DnsQuestion {
  readonly name: string;
  readonly type: QueryType;
  /**
   * RD bit. Propagation checks send `false` so an authoritative server answers from its own data only; discovery
   * through a recursive resolver sends `true`.
   */
  readonly recursionDesired: boolean;
}

export interface SoaFields {
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

/**
 * One resource record, simplified. `data` holds the TXT value (all character-strings of the record joined, the
 * way CAs read it), or the target/address of CNAME, NS, A, AAAA; `soa` is set for SOA records.
 */
export interface ResourceRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly data: string;
  readonly soa?: SoaFields;
}

export interface DnsResponse {
  readonly server: ServerAddress;
  /** `NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED`, ... */
  readonly rcode: string;
  readonly authoritative: boolean;
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
  /** Which transport produced this answer: `tcp` after a truncated UDP answer. */
  readonly transport: 'udp' | 'tcp';
  readonly latencyMs: number;
}

/** Counts queries put on the wire (each UDP attempt and each TCP retry), for benchmarks and reports. */
export interface QueryStats {
  queries: number;
}

/** Per-call context threaded through discovery and checks. */
export interface LookupContext {
  readonly signal?: AbortSignal;
  readonly stats?: QueryStats;
}

/**
 * The port every lookup in this package goes through, so tests and applications can substitute a transport
 * (for example one that adds DNS cookies or TSIG later).
 *
 * Contract: MUST send the question to exactly `server`; MUST resolve with the server's answer whatever its
 * rcode; MUST reject with a CertkeeperError (`DNS_LOOKUP_FAILED`) only when no answer arrived (timeout,
 * unreachable, malformed reply); MUST increment `context.stats.queries` once per message sent.
 */
export interface DnsTransport {
  query(server: ServerAddress, question: DnsQuestion, context?: LookupContext): Promise<DnsResponse>;
}
