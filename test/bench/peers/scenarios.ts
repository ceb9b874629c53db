/** The four scenarios of issue 13, with the protocol minimum of requests for each (docs/benchmarks.md). */
export interface Scenario {
  readonly id: 'S1' | 'S2' | 'S3' | 'S4';
  readonly title: string;
  readonly challenge: 'http-01' | 'dns-01';
  /**
   * Requests with a new account (docs/benchmarks.md): directory, newNonce, newAccount, then per certificate
   * newOrder, authorization, challenge, one poll, finalize, one poll, download (7), and 2 per extra name
   * (authorization, challenge: validation is polled on the order, RFC 8555 §7.1.6, and every answer brings the next
   * request's nonce) — one process for all certificates.
   */
  readonly minimumRequests: number;
  /** The certificates (each a list of names) of one run; `prefix` keeps runs from meeting each other's orders. */
  certificates(prefix: string): string[][];
}

/** Every name is under this zone; challtestsrv answers for it and the dns-01 scenario publishes in it. */
export const BENCH_ZONE = 'bench.test';

const range = (n: number) => Array.from({ length: n }, (_, k) => k);

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'S1',
    title: 'one name, http-01, new account',
    challenge: 'http-01',
    minimumRequests: 10,
    certificates: (p) => [[`${p}.${BENCH_ZONE}`]],
  },
  {
    id: 'S2',
    title: 'ten names, one certificate',
    challenge: 'http-01',
    minimumRequests: 10 + 2 * 9,
    certificates: (p) => [range(10).map((k) => `n${k}.${p}.${BENCH_ZONE}`)],
  },
  {
    id: 'S3',
    title: 'twenty certificates',
    challenge: 'http-01',
    minimumRequests: 3 + 20 * 7,
    certificates: (p) => range(20).map((k) => [`c${k}.${p}.${BENCH_ZONE}`]),
  },
  {
    id: 'S4',
    title: 'apex + wildcard, dns-01',
    challenge: 'dns-01',
    minimumRequests: 12,
    certificates: (p) => [[`${p}.${BENCH_ZONE}`, `*.${p}.${BENCH_ZONE}`]],
  },
];
