import {
  CertkeeperError,
  type ChallengeSolver,
  type ChallengeTask,
  ErrorCodes,
  type Identifier,
  type PublicationReceipt,
  type ReadinessResult,
  type SolverContext,
} from '@certkeeper/core';
import {
  challengeName,
  createDnsDiscovery,
  type DnsDiscoveryOptions,
  PropagationChecker,
  type PropagationCheckerOptions,
} from '@certkeeper/dns';
import { HookRunner } from '../hook-runner.js';
import { type ExecOptions, resolveOptions } from '../options.js';
import { type RawReceiptData, readRawReceipt } from './raw-receipt.js';

export interface ExecRawSolverOptions extends Omit<ExecOptions, 'ttlArgument' | 'list'> {
  /** How to find the authoritative servers to check (same as `Dns01Solver`'s `discovery`). */
  readonly discovery?: DnsDiscoveryOptions;
  readonly propagation?: PropagationCheckerOptions;
  /** Time limit for cleanup, independent of the caller's signal. Default 60 s. */
  readonly cleanupTimeoutMs?: number;
}

/**
 * lego's `EXEC_MODE=RAW` for scripts that compute the TXT value themselves: `<program> present -- <domain>
 * <token> <key_auth>` and `<program> cleanup -- <domain> <token> <key_auth>`.
 *
 * A DNS provider is handed the TXT value only, so RAW mode cannot be a `DnsProvider`; it is a dns-01
 * `ChallengeSolver` instead, used in place of `Dns01Solver`. It runs `present` for every task of an order first
 * (one at a time by default, as lego does), then `checkReady` asks every authoritative server for the expected
 * value, like `Dns01Solver`; `cleanup` runs `cleanup` for exactly the receipts given.
 */
export class ExecRawSolver implements ChallengeSolver {
  readonly type = 'dns-01' as const;
  private readonly runner: HookRunner;
  private readonly checker: PropagationChecker;

  constructor(private readonly options: ExecRawSolverOptions) {
    this.runner = new HookRunner(resolveOptions(options));
    this.checker = new PropagationChecker(createDnsDiscovery(options.discovery), options.propagation);
  }

  supports(identifier: Identifier): boolean {
    return identifier.type === 'dns';
  }

  async publish(tasks: readonly ChallengeTask[], context: SolverContext = {}): Promise<PublicationReceipt[]> {
    const published: PublicationReceipt[] = [];
    try {
      for (const task of tasks) {
        const data = this.receiptData(task);
        await this.invoke('present', data, context.signal);
        published.push({ authorizationUrl: task.authorizationUrl, type: 'dns-01', data });
      }
    } catch (error) {
      await this.cleanup(published).catch(() => undefined);
      throw error;
    }
    const publishedAt = new Date().toISOString();
    return published.map((receipt) => ({
      ...receipt,
      data: { ...(receipt.data as RawReceiptData), publishedAt },
    }));
  }

  async checkReady(
    receipts: readonly PublicationReceipt[],
    context: SolverContext = {},
  ): Promise<ReadinessResult> {
    if (receipts.length === 0) return { ready: true };
    const records = receipts.map(readRawReceipt);
    const startedAt = new Date(Math.max(...records.map((record) => Date.parse(record.publishedAt))));
    const result = await this.checker.check(
      records.map((record) => ({ fqdn: record.fqdn, name: record.fqdn, values: [record.value] })),
      { startedAt, ...(context.signal ? { signal: context.signal } : {}) },
    );
    if (result.status === 'ready') return { ready: true };
    if (result.status === 'pending')
      return { ready: false, checkAgainAt: result.checkAgainAt, detail: result.detail };
    return { ready: false, checkAgainAt: result.checkedAt, detail: result.error.message, failed: true };
  }

  /** Runs `cleanup` for every receipt, even after a failure; then throws one error naming those that failed. */
  async cleanup(receipts: readonly PublicationReceipt[], _context?: SolverContext): Promise<void> {
    // The caller's signal is ignored on purpose: cleanup must run after a cancellation too (own time limit).
    const signal = AbortSignal.timeout(this.options.cleanupTimeoutMs ?? 60_000);
    const failed: string[] = [];
    for (const receipt of receipts) {
      const data = readRawReceipt(receipt);
      await this.invoke('cleanup', data, signal).catch((error: unknown) => {
        failed.push(
          `${data.domain} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
        );
      });
    }
    if (failed.length > 0) {
      throw new CertkeeperError(
        ErrorCodes.DNS_PROVIDER_FAILED,
        `The exec RAW hook failed to clean up ${failed.length} of ${receipts.length} records: ${failed.join('; ')}.`,
        {
          hint: 'Run cleanup again with the same receipts, or remove these TXT records by hand.',
          retryable: true,
        },
      );
    }
  }

  private receiptData(task: ChallengeTask): RawReceiptData {
    if (task.type !== 'dns-01' || !task.dnsTxtValue) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        `Task ${task.authorizationUrl} (${task.identifier.value}) is not a dns-01 task with a TXT value.`,
        { hint: 'Give the exec RAW solver only dns-01 tasks.' },
      );
    }
    return {
      domain: task.wildcard ? `*.${task.identifier.value}` : task.identifier.value,
      token: task.token,
      keyAuthorization: task.keyAuthorization,
      fqdn: challengeName(task.identifier.value),
      value: task.dnsTxtValue,
      publishedAt: '',
    };
  }

  private async invoke(action: 'present' | 'cleanup', data: RawReceiptData, signal: AbortSignal | undefined) {
    // The zone is unknown here (the script decides where to write); the challenge name stands in for messages.
    await this.runner.run({
      args: [action, '--', data.domain, data.token, data.keyAuthorization],
      zone: data.fqdn,
      mode: 'RAW',
      env: { CERTKEEPER_FQDN: data.fqdn, CERTKEEPER_VALUE: data.value, CERTKEEPER_DOMAIN: data.domain },
      ...(signal ? { signal } : {}),
    });
  }
}
