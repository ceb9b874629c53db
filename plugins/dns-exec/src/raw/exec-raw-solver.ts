import {
  type DnsDiscoveryOptions,
  type PropagationCheckerOptions,
  RawDns01Solver,
  type RawReceiptData,
} from '@certkeeper/dns';
import { HookRunner } from '../hook-runner.js';
import { type ExecOptions, resolveOptions } from '../options.js';

export interface ExecRawSolverOptions extends Omit<ExecOptions, 'ttlArgument' | 'list'> {
  /** How to find the authoritative servers to check (same as `Dns01Solver`'s `discovery`). */
  readonly discovery?: DnsDiscoveryOptions;
  readonly propagation?: PropagationCheckerOptions;
  /** Time limit for cleanup, independent of the caller's signal. Default 60 s. */
  readonly cleanupTimeoutMs?: number;
}

/**
 * lego's `EXEC_MODE=RAW` for scripts that compute the TXT value themselves: `<program> present -- <domain>
 * <token> <key_auth>` and `<program> cleanup -- <domain> <token> <key_auth>`, run one at a time by default, as lego
 * does. A `RawDns01Solver` (from `@certkeeper/dns`) used in place of `Dns01Solver`: it runs `present` for every
 * task of an order first, then checks every authoritative server for the expected value.
 */
export class ExecRawSolver extends RawDns01Solver {
  constructor(options: ExecRawSolverOptions) {
    const runner = new HookRunner(resolveOptions(options));
    // The zone is unknown here (the script decides where to write); the challenge name stands in for messages.
    const invoke = (action: 'present' | 'cleanup', data: RawReceiptData, signal: AbortSignal | undefined) =>
      runner.run({
        args: [action, '--', data.domain, data.token, data.keyAuthorization],
        zone: data.fqdn,
        mode: 'RAW',
        env: { CERTKEEPER_FQDN: data.fqdn, CERTKEEPER_VALUE: data.value, CERTKEEPER_DOMAIN: data.domain },
        ...(signal ? { signal } : {}),
      });
    super(
      {
        name: 'exec RAW hook',
        present: async (data, signal) => void (await invoke('present', data, signal)),
        cleanup: async (data, signal) => void (await invoke('cleanup', data, signal)),
      },
      {
        ...(options.discovery ? { discovery: options.discovery } : {}),
        ...(options.propagation ? { propagation: options.propagation } : {}),
        ...(options.cleanupTimeoutMs !== undefined ? { cleanupTimeoutMs: options.cleanupTimeoutMs } : {}),
      },
    );
  }
}
