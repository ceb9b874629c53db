import type { PublicationReceipt } from './challenge-solver.js';
import type { ResolvedDeps } from './engine-deps.js';
import type { OrderPhase, OrderState } from './order-state.js';
import { removePublished } from './steps/cleanup.js';

/**
 * Phases an order reaches only after it was finalized, so after the CA said it was ready (every authorization
 * valid): the CA never looks at a published response again, so it can go. Not already at `finalize`: the removal's
 * spawns and the checkpoint before it would run beside the CSR and the finalize request, on the way to the CA; once
 * finalize is sent they fill the CA's issuing time instead (the first poll waits for it anyway).
 */
const VALIDATED: ReadonlySet<OrderPhase> = new Set<OrderPhase>(['poll-order', 'download']);

/**
 * Responses removed early: TXT records, each removal a call to the DNS host's API or a hook run (~25 ms for an exec
 * hook, often more for an API). An http-01 or tls-alpn-01 response is removed by this process in no time (a map
 * entry, a file), and a dns-persist-01 record stays: they wait for the cleanup step, and cost no extra checkpoint.
 */
function removedEarly(receipt: PublicationReceipt): boolean {
  return receipt.type === 'dns-01' || receipt.type === 'dns-account-01';
}

/**
 * Whether `state` is one whose DNS records `runOrder` removes before the cleanup step. Such a state must be durable
 * before the removal starts (`checkpointNeeded` says so): a run that died after the removal and resumed from an
 * earlier state — before validation, the records' receipts in hand — would wait for records that are gone.
 */
export function removesRecordsEarly(state: OrderState): boolean {
  return VALIDATED.has(state.phase) && !state.failure && state.receipts.some(removedEarly);
}

/**
 * `runOrder`'s early cleanup: removes an order's TXT records once the CA has validated every authorization and the
 * order was finalized, while the CA issues and the certificate is downloaded, instead of after the download — through an exec hook,
 * the two deletions of an apex + wildcard order took ~50 ms between the certificate and its storing (issue 13, S4).
 * lego and certbot clean up at this point too.
 *
 * Crash-safe: the removal starts only after `runOrder` handed the finalized state to `onState` (which must store
 * it: `checkpointNeeded`), and a state drops the receipts only after their removal has ended, in the cleanup step's
 * input (`settle`); a run that dies in between resumes past validation with the receipts and removes them again
 * (removing is idempotent). Nothing is removed twice within a run.
 */
export class EarlyCleanup {
  private removing: Promise<void> | undefined;
  private removed: readonly PublicationReceipt[] = [];

  constructor(private readonly deps: ResolvedDeps) {}

  /** Starts removing the records once `state`, already handed to `onState`, no longer needs them. Returns at once. */
  observe(state: OrderState): void {
    if (this.removing || !removesRecordsEarly(state)) return;
    const receipts = state.receipts.filter(removedEarly);
    this.removed = receipts;
    // removePublished logs its failures and never throws; the catch keeps an unexpected one from going unhandled.
    this.removing = removePublished(state, this.deps, receipts).catch((error: unknown) =>
      this.deps.logger.warn(
        { orderId: state.id, error: String(error) },
        'cleanup of published responses failed',
      ),
    );
  }

  /**
   * Waits for a removal under way. Returns `state` without the receipts it removed (the cleanup step and
   * `abandonOrder` then have only the others left), else `state` unchanged.
   */
  async settle(state: OrderState): Promise<OrderState> {
    if (!this.removing) return state;
    await this.removing;
    const gone = (receipt: PublicationReceipt) =>
      this.removed.some(
        (removed) => removed.authorizationUrl === receipt.authorizationUrl && removed.type === receipt.type,
      );
    return state.receipts.some(gone) ? { ...state, receipts: state.receipts.filter((r) => !gone(r)) } : state;
  }
}
