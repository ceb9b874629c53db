import 'reflect-metadata';
import {
  type ChallengeSolver,
  type Clock,
  ClockToken,
  type Logger,
  LoggerToken,
  processSecretRedactor,
  type SecretRedactor,
  silentLogger,
  systemClock,
} from '@certkeeper/core';
import { RenewalCoordinator, rateLimitsFor } from '@certkeeper/policy';
import { leaseHolderId, type Store, StoreToken } from '@certkeeper/store';
import { type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import { AccountRegistry } from './account-registry.js';
import { CertificateManager } from './certificate-manager.js';
import { DryRun } from './dry-run.js';
import { leaseWaitProgress, ManagerEventEmitter } from './events.js';
import type { CertkeeperMetrics } from './metrics.js';
import type { ManagerOptions } from './options.js';
import { OrderRunner } from './order-runner.js';
import { CertificateManagerToken, ManagerOptionsToken, MetricsToken, SolversToken } from './tokens.js';

export interface CertkeeperComposition extends ManagerOptions {
  readonly store: Store;
  readonly solvers: readonly ChallengeSolver[];
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Prometheus metrics; false to go without. */
  readonly metrics?: CertkeeperMetrics | false;
  /** Scrubs secrets from stored error text and outcomes; default the process's (one per process). */
  readonly redactor?: SecretRedactor;
  /**
   * The account session to use, shared with other managers of the same CA, account and store (the CLI composes one
   * manager per solver set): one client, one directory, one nonce pool and keep-alive connection for all of them.
   * Default: a registry of this manager's own.
   */
  readonly accounts?: AccountRegistry;
}

/**
 * createCertkeeperContainer's body, with the default metrics (for `metrics` not given) handed in: this module does
 * not import prom-client, so `@certkeeper/manager/compose` composes a manager without loading it (issue 13).
 */
export function composeCertkeeperContainer(
  composition: CertkeeperComposition,
  parent: DependencyContainer,
  defaultMetrics: () => CertkeeperMetrics | false,
): DependencyContainer {
  const container = parent.createChildContainer();
  container.register(ManagerOptionsToken, { useValue: composition });
  container.register(StoreToken, { useValue: composition.store });
  container.register(SolversToken, { useValue: [...composition.solvers] });
  container.register(LoggerToken, { useValue: composition.logger ?? silentLogger });
  container.register(ClockToken, { useValue: composition.clock ?? systemClock });
  // tsyringe does not take `useValue: undefined` for a value: without metrics the token stays unregistered.
  const given = composition.metrics ?? defaultMetrics();
  if (given !== false) container.register(MetricsToken, { useValue: given });
  container.register(CertificateManagerToken, {
    useFactory: instanceCachingFactory((c) => {
      const options = c.resolve<ManagerOptions>(ManagerOptionsToken);
      const store = c.resolve<Store>(StoreToken);
      const clock = c.resolve<Clock>(ClockToken);
      const logger = c.resolve<Logger>(LoggerToken);
      const metrics = c.isRegistered(MetricsToken, true)
        ? c.resolve<CertkeeperMetrics>(MetricsToken)
        : undefined;
      const redactor = composition.redactor ?? processSecretRedactor();
      // Secrets handed in as options are registered here, so an application composing by hand is covered too.
      redactor.register(options.account?.externalAccountBinding?.hmacKey);
      const accounts = composition.accounts ?? new AccountRegistry(options, store, clock, logger);
      const events = new ManagerEventEmitter();
      const coordinator = new RenewalCoordinator({
        store,
        clock,
        logger,
        holder: leaseHolderId(options.leaseHolder ?? {}),
        rateLimits: options.rateLimits ?? rateLimitsFor(options.directoryUrl),
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {}),
        ...(options.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: options.maxRetryAfterMs } : {}),
        onLeaseWait: (wait) => events.emit('progress', leaseWaitProgress(wait)),
        redactor,
      });
      const runner = new OrderRunner(
        accounts,
        store,
        c.resolve(SolversToken),
        clock,
        logger,
        metrics,
        options.polling,
        options.keyType ?? 'ec256',
        (progress) => events.emit('progress', progress),
        redactor,
      );
      return new CertificateManager(
        options,
        store,
        coordinator,
        runner,
        c.resolve(SolversToken),
        accounts,
        clock,
        logger,
        metrics,
        new DryRun(
          options.directoryUrl,
          accounts,
          c.resolve(SolversToken),
          clock,
          logger,
          options.polling,
          redactor,
          (progress) => events.emit('progress', progress),
        ),
        events,
      );
    }),
  });
  return container;
}
