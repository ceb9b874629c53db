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
import { createDnsDiscovery, type DnsDiscoveryOptions } from '../discovery/dns-discovery.js';
import { challengeName } from '../names/dns-name.js';
import { PropagationChecker, type PropagationCheckerOptions } from '../propagation/propagation-checker.js';
import { type RawReceiptData, readRawReceipt } from './raw-receipt.js';

/**
 * The two calls of a lego-style RAW hook: it is given the domain, token and key authorization and computes the TXT
 * value itself (lego's `EXEC_MODE=RAW`, `HTTPREQ_MODE=RAW`).
 */
export interface RawDns01Hook {
  /** For messages: `"exec RAW hook"`. */
  readonly name: string;
  present(data: RawReceiptData, signal: AbortSignal | undefined): Promise<void>;
  cleanup(data: RawReceiptData, signal: AbortSignal): Promise<void>;
}

export interface RawDns01SolverOptions {
  /** How to find the authoritative servers to check (same as `Dns01Solver`'s `discovery`). */
  readonly discovery?: DnsDiscoveryOptions;
  readonly propagation?: PropagationCheckerOptions;
  /** Time limit for cleanup, independent of the caller's signal. Default 60 s. */
  readonly cleanupTimeoutMs?: number;
}

/**
 * A dns-01 `ChallengeSolver` for RAW hooks. A DNS provider is handed the TXT value only, never the token and key
 * authorization, so RAW mode cannot be a `DnsProvider`: this solver is used in place of `Dns01Solver`. It calls
 * `present` for every task of an order first (one at a time, in order), then `checkReady` asks every
 * authoritative server for the expected value like `Dns01Solver`; `cleanup` calls `cleanup` for exactly the
 * receipts given, after a cancellation too.
 */
export class RawDns01Solver implements ChallengeSolver {
  readonly type = 'dns-01' as const;
  private readonly checker: PropagationChecker;

  constructor(
    private readonly hook: RawDns01Hook,
    private readonly options: RawDns01SolverOptions = {},
  ) {
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
        await this.hook.present(data, context.signal);
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
    const records = receipts.map((receipt) => readRawReceipt(receipt, this.hook.name));
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

  /** Calls `cleanup` for every receipt, even after a failure; then throws one error naming those that failed. */
  async cleanup(receipts: readonly PublicationReceipt[], _context?: SolverContext): Promise<void> {
    // The caller's signal is ignored on purpose: cleanup must run after a cancellation too (own time limit).
    const signal = AbortSignal.timeout(this.options.cleanupTimeoutMs ?? 60_000);
    const failed: string[] = [];
    for (const receipt of receipts) {
      const data = readRawReceipt(receipt, this.hook.name);
      await this.hook.cleanup(data, signal).catch((error: unknown) => {
        failed.push(
          `${data.domain} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
        );
      });
    }
    if (failed.length > 0) {
      throw new CertkeeperError(
        ErrorCodes.DNS_PROVIDER_FAILED,
        `The ${this.hook.name} failed to clean up ${failed.length} of ${receipts.length} records: ${failed.join('; ')}.`,
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
        { hint: `Give the ${this.hook.name} only dns-01 tasks.` },
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
}
