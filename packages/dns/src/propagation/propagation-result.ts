import type { CertkeeperError } from '@certkeeper/core';

/** What one server returned for one name during a check. */
export interface ServerStatus {
  readonly kind: 'authoritative' | 'recursive';
  /** NS name (`ns2.example.test`), `fixed` for configured servers, `resolver` for recursive resolvers. */
  readonly nameserver: string;
  /** `host:port` queried. */
  readonly address: string;
  /** The name queried. */
  readonly name: string;
  /** Absent when no answer arrived (see `error`). */
  readonly rcode?: string;
  /** TXT values seen at the end of the CNAME chain, sorted. */
  readonly values: readonly string[];
  /** How many values were expected at this name. */
  readonly expected: number;
  /** Expected values this server did not return. */
  readonly missing: readonly string[];
  readonly latencyMs?: number;
  readonly transport?: 'udp' | 'tcp';
  readonly error?: string;
  readonly ready: boolean;
}

interface ResultBase {
  readonly checkedAt: Date;
  /** DNS messages sent by this check, discovery included. */
  readonly queries: number;
  readonly servers: readonly ServerStatus[];
  /** One line for logs and for `ReadinessResult.detail`. */
  readonly detail: string;
}

/**
 * One check's outcome. A check never sleeps: `pending` says when to look again and `failed` says the deadline
 * passed, naming the servers that lag and what they returned.
 */
export type PropagationResult =
  | (ResultBase & { readonly status: 'ready' })
  | (ResultBase & {
      readonly status: 'pending';
      readonly checkAgainAt: Date;
      readonly lagging: readonly ServerStatus[];
    })
  | (ResultBase & {
      readonly status: 'failed';
      readonly lagging: readonly ServerStatus[];
      readonly error: CertkeeperError;
    });
