import type { FaultAction, ProxiedRequest } from './faults.js';
import type { ResourceKind } from './resource-kind.js';

/** When a rule applies and what it does. All given conditions must hold. */
export interface FaultRuleSpec {
  /** Shown in the request log; defaults to a description of the match and action. */
  readonly name?: string;
  /** HTTP method(s), case-insensitive. */
  readonly method?: string | readonly string[];
  /** Resource kind(s) as learned from the directory and responses (see {@link ResourceKind}). */
  readonly kind?: ResourceKind | readonly ResourceKind[];
  /** A string matches the path (without query) exactly or as a prefix; a RegExp is tested on path + query. */
  readonly path?: string | RegExp;
  /** Fire at most this many times, then stay inert. Default: unlimited. */
  readonly times?: number;
  /** Chance (0..1) that a matching request is hit; misses pass through and do not count. Default 1. */
  readonly probability?: number;
  readonly action: FaultAction;
}

/** A rule installed on a proxy. */
export interface FaultRule {
  readonly id: number;
  readonly name: string;
  readonly spec: FaultRuleSpec;
  /** How many requests it has hit. */
  readonly fired: number;
  /** Hits left before it goes inert (Infinity when unlimited). */
  readonly remaining: number;
  /** Uninstalls it; requests then pass through as if it never existed. */
  remove(): void;
}

export class InstalledRule implements FaultRule {
  fired = 0;

  constructor(
    readonly id: number,
    readonly spec: FaultRuleSpec,
    readonly remove: () => void,
  ) {}

  get name(): string {
    if (this.spec.name) return this.spec.name;
    const { method, kind, path, action } = this.spec;
    const where = [method ? [method].flat().join('|') : '', String(kind ?? path ?? 'any')]
      .filter(Boolean)
      .join(' ');
    return `#${this.id} ${where} → ${describeAction(action)}`;
  }

  get remaining(): number {
    return (this.spec.times ?? Number.POSITIVE_INFINITY) - this.fired;
  }

  /** Whether this rule takes `request`; counts the hit when it does. */
  take(request: ProxiedRequest, random: () => number): boolean {
    if (this.remaining <= 0 || !this.#matches(request)) return false;
    if (this.spec.probability !== undefined && random() >= this.spec.probability) return false;
    this.fired++;
    return true;
  }

  #matches(request: ProxiedRequest): boolean {
    const { method, kind, path } = this.spec;
    if (method !== undefined && ![method].flat().some((m) => m.toUpperCase() === request.method))
      return false;
    if (kind !== undefined && ![kind].flat().includes(request.kind)) return false;
    if (typeof path === 'string') return (request.path.split('?')[0] ?? '').startsWith(path);
    if (path instanceof RegExp) return path.test(request.path);
    return true;
  }
}

function describeAction(action: FaultAction): string {
  switch (action.type) {
    case 'problem':
      return `${action.status} ${action.problem.type.replace('urn:ietf:params:acme:error:', '')}`;
    case 'delay':
      return `delay ${action.ms} ms`;
    case 'reset':
      return 'reset';
    case 'respond':
      return 'custom response';
    case 'stream':
      return `streamed ${action.status}`;
  }
}
