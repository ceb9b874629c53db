import type { OrderProgress } from './events.js';

/**
 * The steps a person follows for one certificate; the engine's phases map onto them. Every progress display (the
 * CLI's live view and plain lines, the daemon's web page) uses this one model. Imported through the
 * `@certkeeper/manager/order-steps` subpath, it loads nothing else of the manager (a cold `renew` stays light).
 */
export const PROGRESS_STEPS = [
  'order',
  'responses published',
  'propagation',
  'validation',
  'finalize',
  'stored',
] as const;

const STEP_OF_PHASE: Readonly<Record<string, number>> = {
  'create-order': 0,
  'fetch-authorizations': 0,
  publish: 1,
  'await-readiness': 2,
  'answer-challenges': 3,
  'await-validation': 3,
  finalize: 4,
  'poll-order': 4,
  download: 4,
  done: 5,
};

export type StepState = 'pending' | 'running' | 'done' | 'failed';

/** A wait's reason split into a headline and one line per item (each lagging nameserver). */
export interface WaitDetail {
  readonly headline: string;
  readonly items: readonly string[];
}

/** The step that waits for DNS records to reach every nameserver: only DNS challenges have it. */
const PROPAGATION = PROGRESS_STEPS.indexOf('propagation');

/** Challenge types whose responses are DNS records, checked on the nameservers before the CA is asked. */
const DNS_CHALLENGES: ReadonlySet<string> = new Set(['dns-01', 'dns-account-01']);

/**
 * Where one certificate's order is, from the manager's `progress` events. An event names the phase the order
 * entered: every earlier step is done, the phase's step runs. Cleanup after a failure does not move it on.
 * The "propagation" step is shown once the order is known to use a DNS challenge: an http-01 or tls-alpn-01
 * order has nothing to propagate (its readiness check, when it has one, belongs to "responses published").
 */
export class CertificateProgress {
  private step = -1;
  private failed = false;
  private dns = false;
  detail: WaitDetail | undefined;

  constructor(readonly names: readonly string[]) {}

  /** Apply an event; true when what a person sees changed. */
  apply(progress: OrderProgress): boolean {
    const before = this.signature();
    const step = STEP_OF_PHASE[progress.phase];
    if (step !== undefined && step > this.step) this.step = step;
    if (this.step < 0) this.step = 0;
    if (progress.challenges?.some((type) => DNS_CHALLENGES.has(type))) this.dns = true;
    this.detail = progress.retry
      ? {
          headline: `${progress.detail ?? 'failed'}; trying again, attempt ${progress.retry.attempt} of ${progress.retry.attempts}`,
          items: [],
        }
      : progress.next === 'wait' || progress.next === 'failed'
        ? splitDetail(progress.detail ?? '')
        : undefined;
    if (progress.next === 'failed' || progress.phase === 'failed') this.failed = true;
    return this.signature() !== before;
  }

  /** The certificate was stored: every step is done. */
  stored(): void {
    this.step = PROGRESS_STEPS.length;
    this.detail = undefined;
  }

  fail(): void {
    this.failed = true;
  }

  get started(): boolean {
    return this.step >= 0;
  }

  /** The step running now (or the one that failed), by name. */
  get currentStep(): string | undefined {
    if (this.step < 0) return undefined;
    const shown = this.shownSteps();
    return PROGRESS_STEPS[shown.filter((index) => index <= this.step).at(-1) ?? 0];
  }

  states(): { readonly step: string; readonly state: StepState }[] {
    const shown = this.shownSteps();
    // A hidden step's work is shown on the step before it.
    const current = shown.filter((index) => index <= this.step).at(-1) ?? this.step;
    return shown.map((index) => ({
      step: PROGRESS_STEPS[index]!,
      state:
        this.step >= PROGRESS_STEPS.length || index < current
          ? 'done'
          : index === current
            ? this.failed
              ? 'failed'
              : 'running'
            : 'pending',
    }));
  }

  private shownSteps(): number[] {
    return PROGRESS_STEPS.map((_, index) => index).filter((index) => this.dns || index !== PROPAGATION);
  }

  private signature(): string {
    return `${this.step}|${this.failed}|${this.dns}|${this.detail?.headline}|${this.detail?.items.join('|')}`;
  }
}

/**
 * `dns-01: Waiting for 1 of 2 authoritative answers: ns1 … saw 0 of 1 expected values; ns2 …` → headline
 * "Waiting for 1 of 2 authoritative answers" and one item per nameserver.
 */
export function splitDetail(detail: string): WaitDetail {
  const text = detail.replace(/^(dns-01|http-01|tls-alpn-01): /, '').replace(/\.$/, '');
  const match = /^(Waiting for [^:]+): (.+)$/s.exec(text);
  if (!match) return { headline: text, items: [] };
  return { headline: match[1]!, items: match[2]!.split('; ').map((item) => item.trim()) };
}
