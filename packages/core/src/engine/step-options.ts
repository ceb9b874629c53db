/**
 * Who runs a step, as far as the create-order window cares (see the create-order step). Both options are about
 * one question: can a newOrder recorded in the state (an `orderIntent`) still be on its way to the CA?
 */
export interface StepOptions {
  /**
   * An id for the worker running this step, the same for every step it runs of one order without handing the
   * order over (one `runOrder` call; one queue job that keeps running `continue` steps). An intent recorded under
   * the same id is this worker's own: it knows nothing was sent yet, and places the order at once. Without a
   * `worker`, every intent is treated as another worker's.
   */
  readonly worker?: string;
  /**
   * No other worker can be running this order or be in the middle of a request for it: the caller holds a lease
   * that every earlier worker lost (released it, let it expire, or died). An intent of another worker is then
   * looked for in the account's orders list at once instead of after its `settlesAt`. Default false.
   */
  readonly exclusive?: boolean;
}
