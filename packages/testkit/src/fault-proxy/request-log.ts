import type { FaultAction } from './faults.js';
import type { ResourceKind } from './resource-kind.js';

/** One request that went through the proxy. */
export interface RequestLogEntry {
  /** 1, 2, 3… in arrival order. */
  readonly seq: number;
  /** Arrival time. */
  readonly time: Date;
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly kind: ResourceKind;
  /** Status sent to the client; undefined when the connection was reset. */
  readonly status: number | undefined;
  /** Name of the rule that fired, if any. */
  readonly rule?: string;
  readonly action?: FaultAction['type'];
  /** From the JWS protected header of a POST. */
  readonly jws?: {
    readonly nonce?: string;
    readonly url?: string;
    readonly kid?: string;
    readonly alg?: string;
  };
  readonly durationMs: number;
  /** Body bytes a `stream` action wrote before the client went away (or the stream ended). */
  readonly bytesSent?: number;
  /** Why the target could not be reached, when it could not. */
  readonly error?: string;
}

/** The proxy's request log and the questions tests ask of it. */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  #seq = 0;

  nextSeq(): number {
    return ++this.#seq;
  }

  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
  }

  /** In arrival order (entries are added when their response is ready, which may be out of order). */
  get entries(): readonly RequestLogEntry[] {
    return [...this.#entries].sort((a, b) => a.seq - b.seq);
  }

  /** Requests of one kind (optionally one method) so far. */
  count(kind: ResourceKind, method?: string): number {
    return this.#entries.filter(
      (e) => e.kind === kind && (method === undefined || e.method === method.toUpperCase()),
    ).length;
  }

  clear(): void {
    this.#entries.length = 0;
  }

  /**
   * Nonces the client put in more than one JWS. Any entry is a bug in the client: every request, including a
   * retry after badNonce, 429, 503 or a reset connection, must carry a fresh nonce (RFC 8555 §6.5).
   */
  reusedNonces(): string[] {
    const seen = new Map<string, number>();
    for (const entry of this.#entries) {
      const nonce = entry.jws?.nonce;
      if (nonce !== undefined) seen.set(nonce, (seen.get(nonce) ?? 0) + 1);
    }
    return [...seen].filter(([, uses]) => uses > 1).map(([nonce]) => nonce);
  }
}
