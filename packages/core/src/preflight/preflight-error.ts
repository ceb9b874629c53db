import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';

/** One reason an order cannot be placed, found before anything was sent. */
export interface PreflightFinding {
  /** `solver`: no configured solver can prove an identifier; `contact`: an account contact is invalid. */
  readonly check: 'solver' | 'contact';
  /** The identifier (`*.example.com`, `192.0.2.1`) or the contact URI the finding is about. */
  readonly subject: string;
  /** What is wrong. */
  readonly reason: string;
  /** What to configure: a config key or flag that exists. */
  readonly fix: string;
}

/**
 * Thrown (code `CERTKEEPER_ERR_PREFLIGHT_FAILED`) when what can be known before ordering says the order would fail:
 * every finding is listed, in `findings` and in the message. Nothing was sent to the CA — not even the directory
 * — so no order, limit or failure budget was spent, and no backoff is recorded.
 */
export class PreflightError extends CertkeeperError {
  readonly findings: readonly PreflightFinding[];

  constructor(findings: readonly PreflightFinding[]) {
    const lines = findings.map((f) => `  - ${f.subject}: ${f.reason}. Fix: ${f.fix}`);
    super(
      ErrorCodes.PREFLIGHT_FAILED,
      `Refused before ordering; nothing was sent to the CA:\n${lines.join('\n')}`,
      { hint: 'change the configuration as listed, then run again; nothing is deferred.' },
    );
    this.findings = findings;
  }
}
