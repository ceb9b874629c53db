import {
  abandonOrder,
  type CertificateKeyType,
  type ChallengeSolver,
  type Clock,
  ErrorCodes,
  failureFromError,
  type Identifier,
  isFinished,
  type Logger,
  ORDER_PHASES,
  type OrderPhase,
  type OrderState,
  type PollPolicy,
  parseCertificate,
  prepareOrder,
  runOrder,
  type SecretRedactor,
} from '@certkeeper/core';
import { certificateKey } from '@certkeeper/policy';
import type { AccountRegistry } from './account-registry.js';
import type { OrderProgress } from './events.js';
import { prepareSolvers, releaseSolvers } from './solver-preparation.js';

/**
 * How far a dry run goes. `certificate`: the whole flow, issuance and chain verification included — only against a
 * CA whose certificates cost nothing (a staging directory). `readiness`: the order, its authorizations, the published
 * responses and the readiness check (http-01 self-check, dns-01 propagation); then cleanup and the authorizations
 * deactivated. No challenge is answered and nothing is finalized, so production issues nothing and no failed
 * validation counts against its limits.
 */
export type DryRunScope = 'certificate' | 'readiness';

export interface DryRunRequest {
  readonly identifiers: readonly Identifier[];
  readonly keyType: CertificateKeyType;
  readonly profile?: string;
  /** The caller's own CSR, base64url DER: the rehearsal finalizes with it, as the real order would. */
  readonly csr?: string;
}

export interface DryRunResult {
  readonly scope: DryRunScope;
  readonly directoryUrl: string;
  readonly orderUrl?: string;
  /** Scope `readiness`: the authorizations this run found pending and deactivated at the CA. */
  readonly deactivated: readonly string[];
  /** Authorizations the CA already held valid for the account: nothing to prove, left as they were. */
  readonly reused: readonly string[];
  /** Scope `certificate`: the certificate the CA issued, verified like any other, then discarded (never stored). */
  readonly certificate?: { readonly serialNumberHex: string; readonly notAfter: string };
}

/** The first phase a `readiness` dry run must not enter: from here on the CA is told to validate or to issue. */
const FIRST_PHASE_PAST_READINESS = ORDER_PHASES.indexOf('answer-challenges');
const pastReadiness = (phase: OrderPhase) =>
  phase !== 'cleanup' &&
  phase !== 'done' &&
  phase !== 'failed' &&
  ORDER_PHASES.indexOf(phase) >= FIRST_PHASE_PAST_READINESS;

/**
 * Runs an order for rehearsal: the same engine steps as a real order, with nothing stored — no order state, no
 * certificate, no ledger event, no lease — and the order abandoned (responses removed, pending authorizations
 * deactivated) whatever happens, so nothing is left at the CA or in DNS. Only the account is stored, as any use of
 * a CA stores it (a staging CA gets its own account).
 */
export class DryRun {
  constructor(
    private readonly directoryUrl: string,
    private readonly accounts: AccountRegistry,
    private readonly solvers: readonly ChallengeSolver[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly polling: Partial<PollPolicy> | undefined,
    private readonly redactor: SecretRedactor,
    private readonly onProgress?: (progress: OrderProgress) => void,
  ) {}

  /** @throws whatever ended the order (the CA refused, validation or readiness failed, the signal fired). */
  async run(request: DryRunRequest, scope: DryRunScope, signal?: AbortSignal): Promise<DryRunResult> {
    const { client, accountUrl } = await this.accounts.client();
    const initial = await prepareOrder({
      directoryUrl: this.directoryUrl,
      accountUrl,
      identifiers: request.identifiers,
      ...(request.csr ? { csr: Buffer.from(request.csr, 'base64url') } : { keyType: request.keyType }),
      ...(request.profile ? { profile: request.profile } : {}),
      clock: this.clock,
    });
    const key = certificateKey({
      directoryUrl: this.directoryUrl,
      accountUrl,
      identifiers: request.identifiers,
      ...(request.profile ? { profile: request.profile } : {}),
    });
    // The engine stops at the top of its loop once this fires: the step that entered a phase past readiness has
    // returned, and the next one (answering a challenge, or finalizing when every authorization was reused) is
    // never sent.
    const stop = new AbortController();
    const deps = {
      client,
      solvers: this.solvers,
      clock: this.clock,
      logger: this.logger,
      ...(this.polling ? { polling: this.polling } : {}),
    };
    let last: OrderState = initial;
    const releases = await prepareSolvers(this.solvers, request.identifiers, signal);
    try {
      const result = await runOrder(
        initial,
        { ...deps, signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal },
        {
          onState: (state) => {
            last = state;
          },
          onStep: ({ state, next }) => {
            if (scope === 'readiness' && pastReadiness(state.phase)) stop.abort();
            this.onProgress?.({
              key,
              identifiers: state.identifiers.map((identifier) => identifier.value),
              phase: state.phase,
              next: next.type,
              ...(next.type === 'wait' ? { detail: next.reason, until: next.until } : {}),
              ...(next.type === 'failed' ? { detail: this.redactor.redact(next.failure.message) } : {}),
            });
          },
        },
      );
      const leaf = parseCertificate(result.certificate.pem);
      return {
        ...this.summary(scope, result.state),
        certificate: { serialNumberHex: leaf.serialNumberHex, notAfter: leaf.notAfter.toISOString() },
      };
    } catch (error) {
      const rehearsed = stop.signal.aborted && !signal?.aborted;
      // runOrder abandons the order on a failure; stopped by a signal it leaves the state to resume — a dry run
      // resumes nothing, so it is abandoned here, with cleanup's own lifetime (not the fired signal).
      const abandoned = isFinished(last)
        ? last
        : await abandonOrder(
            last,
            deps,
            rehearsed
              ? { code: ErrorCodes.ABORTED, message: 'Dry run: stopped before answering the challenges.' }
              : failureFromError(error),
          ).catch((cause: unknown) => {
            this.logger.warn({ orderUrl: last.orderUrl, error: String(cause) }, 'dry run cleanup failed');
            return last;
          });
      if (!rehearsed) throw error;
      return this.summary(scope, abandoned);
    } finally {
      await releaseSolvers(releases);
    }
  }

  private summary(scope: DryRunScope, state: OrderState): DryRunResult {
    const known = new Set(state.authorizations.map((entry) => entry.url));
    return {
      scope,
      directoryUrl: this.directoryUrl,
      ...(state.orderUrl ? { orderUrl: state.orderUrl } : {}),
      // What cleanup deactivates: the pending authorizations, and any the run never got to read.
      deactivated:
        scope === 'readiness'
          ? [
              ...state.authorizations.filter((entry) => entry.status === 'pending').map((entry) => entry.url),
              ...state.authorizationUrls.filter((url) => !known.has(url)),
            ]
          : [],
      reused: state.authorizations.filter((entry) => entry.status === 'valid').map((entry) => entry.url),
    };
  }
}
