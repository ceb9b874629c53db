import type { AddressInfo } from 'node:net';
import { sleep } from '@certkeeper/core';
import { CertkeeperMetrics } from '@certkeeper/manager';
import { type EnsureOutcome, renewalTime } from '@certkeeper/policy';
import { allCertificates, type CertificateRecord, type Store } from '@certkeeper/store';
import { type DaemonServices, openDaemonServices } from '../daemon/daemon-services.js';
import { FeedReporter } from '../daemon/feed-reporter.js';
import { type DaemonHealth, startEndpoints } from '../daemon/http-endpoints.js';
import { SweepReporter, summaryLine } from '../daemon/sweep-reporter.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { JsonReporter } from '../output/json-reporter.js';
import { PlainReporter } from '../output/plain-reporter.js';
import { errorText, type Reporter } from '../output/reporter.js';
import { Interruption } from '../runtime/interruption.js';
import { keepCertificates } from '../runtime/keep-certificates.js';
import { sweepHooksOf } from '../runtime/sweep-hooks.js';
import { workItems } from '../runtime/work-items.js';
import { parseConcurrencyFlag } from '../settings/concurrency.js';
import { formatListenAddress, type ListenAddress } from '../settings/listen-address.js';
import { type CommandContext, settingsOf } from './context.js';

/**
 * `certkeeper run`: the daemon. Sweeps like `renew`, sleeps until the earliest time anything needs attention
 * (at most daemon.maxSweepInterval), repeats. SIGTERM or SIGINT aborts the current step — its state was persisted
 * after the previous step, so the next run resumes the same order — closes everything and exits 0; a second
 * signal exits at once (130 for SIGINT, 143 for SIGTERM). SIGHUP reloads the configuration before the next sweep (at once when idle); a
 * configuration that does not load is reported and the previous one kept.
 */
export async function runCommand(
  context: CommandContext,
  options: { preHook?: string; postHook?: string; concurrency?: string } = {},
): Promise<ExitCodeValue> {
  const flagConcurrency =
    options.concurrency !== undefined ? parseConcurrencyFlag(options.concurrency) : undefined;
  const initial = await settingsOf(context);
  // Checked before anything starts; rebuilt from each reloaded configuration (the flags stay).
  sweepHooksOf(initial, options);
  // Plain lines carry the time (a daemon's output is a log); a certificate's outcome is logged when it changes.
  const reporter: Reporter = context.flags.json
    ? new JsonReporter(context.stdout)
    : new SweepReporter(new PlainReporter(context.stdout, context.stderr, { timestamps: true }));
  const metrics = new CertkeeperMetrics();
  let services = await openDaemonServices(initial, context, metrics, reporter);
  let health: DaemonHealth = { running: true, failing: [], deferred: [] };
  const { listen } = initial.daemon;
  const endpoints = listen
    ? await startEndpoints(
        listen,
        metrics,
        () => health,
        () => services.site!,
      ).catch(async (error: unknown) => {
        await services.close();
        throw error;
      })
    : undefined;
  // The page follows the loop: every change of health is the page's daemon state too.
  const setHealth = (next: DaemonHealth) => {
    health = next;
    const { running, lastSweepAt, nextSweepAt, lastSweepError } = next;
    services.site?.feed.sweep({
      running,
      ...(lastSweepAt ? { lastSweepAt } : {}),
      ...(nextSweepAt ? { nextSweepAt } : {}),
      ...(lastSweepError ? { lastSweepError } : {}),
    });
  };
  const interruption = new Interruption({
    onStop: (signal) => {
      reporter.info(
        `${signal}: stopping — the current step is abandoned and resumed from its stored state next time`,
      );
      health = { ...health, running: false };
      services.site?.feed.stopped();
    },
    onExitNow: (signal) => reporter.info(`${signal} again: exiting now`),
  });
  const stopped = interruption.signal;
  let reloadRequested = false;
  let wake: AbortController | undefined;
  const hangUp = () => {
    reloadRequested = true;
    wake?.abort();
  };
  process.on('SIGHUP', hangUp);
  const address = endpoints?.address() as AddressInfo | undefined;
  reporter.info(
    `certkeeper daemon: CA ${initial.directoryUrl}, store ${initial.storeDirectory}${address ? `, status page, /metrics and /healthz on ${formatListenAddress({ host: address.address, port: address.port })}` : ''}`,
  );
  try {
    while (!stopped.aborted) {
      if (reloadRequested) {
        reloadRequested = false;
        services = await reload(services, context, metrics, reporter, listen);
      }
      let wakeAt = Date.now() + services.settings.daemon.maxSweepIntervalMs;
      const { runtime, site, deployer, settings } = services;
      try {
        const items = await workItems(runtime, settings.certificates);
        const { results } = await keepCertificates(runtime, items, {
          reporter: site ? new FeedReporter(reporter, site.feed) : reporter,
          deployer,
          signal: stopped,
          answerFreshLocally: false,
          sweepHooks: sweepHooksOf(settings, options),
          concurrency: flagConcurrency ?? settings.concurrency,
        });
        // Each certificate's own renewBefore moves its renewal time, as the freshness gate sees it.
        const renewBefore = new Map(items.map((item) => [item.names.join(','), item.request.renewBeforeMs]));
        for (const { names, outcome } of results)
          wakeAt = Math.min(wakeAt, attentionAt(outcome, renewBefore.get(names.join(','))));
        const failing = results.filter((r) => r.outcome.type === 'failed' || r.deployFailed);
        const deferred = results.filter((r) => r.outcome.type === 'deferred');
        metrics.observeSweep({
          stored: await storedOf(runtime.store, settings.directoryUrl),
          failing: results.filter((r) => r.outcome.type === 'failed').length,
          deferred: deferred.length,
          undeployed: results.filter((r) => r.deployFailed).length,
          now: new Date(),
        });
        setHealth({
          running: !stopped.aborted,
          lastSweepAt: new Date().toISOString(),
          failing: failing.map((r) => r.names.join(',')),
          deferred: deferred.map((r) => r.names.join(',')),
        });
        if (!stopped.aborted)
          reporter.info(
            summaryLine(
              results.map((r) => r.outcome),
              sweepEnd(wakeAt),
            ),
          );
      } catch (error) {
        if (stopped.aborted) break;
        // /healthz is an output too: the sweep's error is scrubbed before it is served.
        const message = context.redactor.redact(
          error instanceof Error ? error.message.split('\n')[0]! : String(error),
        );
        setHealth({ ...health, lastSweepAt: new Date().toISOString(), lastSweepError: message });
        reporter.warn(`sweep failed: ${message}`);
        wakeAt = Math.min(wakeAt, Date.now() + 60_000);
      }
      const nextAt = sweepEnd(wakeAt);
      setHealth({ ...health, nextSweepAt: nextAt.toISOString() });
      if (reloadRequested || stopped.aborted) continue;
      wake = new AbortController();
      await sleep(nextAt.getTime() - Date.now(), AbortSignal.any([stopped, wake.signal])).catch(
        () => undefined,
      );
      wake = undefined;
    }
  } finally {
    interruption.dispose();
    process.off('SIGHUP', hangUp);
    const closed = new Promise<void>((resolve) => (endpoints ? endpoints.close(() => resolve()) : resolve()));
    endpoints?.closeAllConnections();
    await closed;
    await services.close();
    reporter.info('certkeeper daemon stopped');
    reporter.close();
  }
  return ExitCode.OK;
}

/** At least a second between sweeps, so a certificate due "now" cannot spin the loop. */
function sweepEnd(wakeAt: number): Date {
  return new Date(Math.max(Date.now() + 1000, wakeAt));
}

/**
 * SIGHUP: the configuration read again and everything built from it anew; the old services are closed only once
 * the new ones opened. A configuration that does not load, or whose store or account cannot be opened, is
 * reported and the previous one stays in use. The listener stays where it is (a new daemon.listen needs a restart).
 */
async function reload(
  current: DaemonServices,
  context: CommandContext,
  metrics: CertkeeperMetrics,
  reporter: Reporter,
  listen: ListenAddress | undefined,
): Promise<DaemonServices> {
  const source = current.settings.configFile ?? 'the flags and environment';
  try {
    const settings = await settingsOf(context);
    const next = await openDaemonServices(
      { ...settings, daemon: { ...settings.daemon, ...(listen ? { listen } : {}) } },
      context,
      metrics,
      reporter,
    );
    if (!sameListen(settings.daemon.listen, listen))
      reporter.warn(
        `SIGHUP: daemon.listen changed; the new address takes effect when the daemon restarts (still ${listen ? formatListenAddress(listen) : 'off'})`,
      );
    await current.close();
    const count = settings.certificates.length;
    reporter.info(
      `SIGHUP: configuration reloaded from ${source}: ${count} certificate${count === 1 ? '' : 's'} configured`,
    );
    return next;
  } catch (error) {
    reporter.warn(
      `SIGHUP: the configuration was not reloaded, the previous one stays in use: ${context.redactor.redact(errorText(error))}`,
    );
    return current;
  }
}

function sameListen(a: ListenAddress | undefined, b: ListenAddress | undefined): boolean {
  return a?.host === b?.host && a?.port === b?.port;
}

/** Every stored certificate of the daemon's CA, for the expiry gauges (expired ones too). */
async function storedOf(store: Store, directoryUrl: string): Promise<CertificateRecord[]> {
  const records: CertificateRecord[] = [];
  for await (const record of allCertificates(store))
    if (record.directoryUrl === directoryUrl) records.push(record);
  return records;
}

/** When a certificate needs the daemon again: its renewal check, the end of its deferral or backoff. */
function attentionAt(outcome: EnsureOutcome, renewBeforeMs: number | undefined): number {
  if (outcome.type === 'fresh') return outcome.nextCheckAt.getTime();
  if (outcome.type === 'deferred') return outcome.until.getTime();
  if (outcome.type === 'failed') return outcome.retryAt.getTime();
  return renewalTime(outcome.certificate, renewBeforeMs).at.getTime();
}
