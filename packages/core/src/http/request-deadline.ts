/**
 * One request's total deadline, combined with the caller's signal: `signal` aborts when either fires, and `expired`
 * tells the two apart afterwards (a caller's abort is theirs to report; an expired deadline is the CA's doing).
 */
export class RequestDeadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly ms: number,
    caller?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.controller.abort(new Error(`request deadline of ${ms} ms`)), ms);
    this.signal = caller ? AbortSignal.any([caller, this.controller.signal]) : this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
