import type { AddressInfo } from 'node:net';
import { sleep } from '@certkeeper/core';
import { CertkeeperMetrics } from '@certkeeper/manager';
import { type EnsureOutcome, renewalTime } from '@certkeeper/policy';
import { type DaemonSite, openDaemonSite } from '../daemon/daemon-site.js';
import { FeedReporter } from '../daemon/feed-reporter.js';
import { type DaemonHealth, startEndpoints } from '../daemon/http-endpoints.js';
import { Deployer } from '../deploy/deployer.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { JsonReporter } from '../output/json-reporter.js';
import { PlainReporter } from '../output/plain-reporter.js';
import { Interruption } from '../runtime/interruption.js';
import { keepCertificates } from '../runtime/keep-certificates.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { workItems } from '../runtime/work-items.js';
import { formatListenAddress } from '../settings/listen-address.js';
import { type CommandContext, settingsOf } from './context.js';

/**
 * `certkeeper run`: the daemon. Sweeps like `renew`, sleeps until the earliest time anything needs attention
 * (at most daemon.maxSweepInterval), repeats. SIGTERM or SIGINT aborts the current step — its state was persisted
 * after the previous step, so the next run resumes the same order — closes everything and exits 0; a second
 * signal exits at once (130 for SIGINT, 143 for SIGTERM).
 */
export async function runCommand(context: CommandContext): Promise<ExitCodeValue> {
  const settings = await settingsOf(context);
  const reporter = context.flags.json
    ? new JsonReporter(context.stdout)
    : new PlainReporter(context.stdout, context.stderr);
  const metrics = new CertkeeperMetrics();
  const runtime = await openRuntime(settings, {
    command: 'run',
    logger: context.logger,
    metrics,
    solvers: true,
    env: context.env,
    cwd: context.cwd,
    warn: (message) => reporter.warn(message),
  });
  let health: DaemonHealth = { running: true, failing: [], deferred: [] };
  const { listen } = settings.daemon;
  let site: DaemonSite | undefined;
  const endpoints = listen
    ? await (async () => {
        site = await openDaemonSite(settings, runtime, listen, context.redactor);
        return startEndpoints(listen, metrics, () => health, site);
      })().catch(async (error: unknown) => {
        site?.close();
        await runtime.close();
        throw error;
      })
    : undefined;
  // The page follows the loop: every change of health is the page's daemon state too.
  const setHealth = (next: DaemonHealth) => {
    health = next;
    const { running, lastSweepAt, nextSweepAt, lastSweepError } = next;
    site?.feed.sweep({
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
      site?.feed.stopped();
    },
    onExitNow: (signal) => reporter.info(`${signal} again: exiting now`),
  });
  const stopped = interruption.signal;
  const address = endpoints?.address() as AddressInfo | undefined;
  reporter.info(
    `certkeeper daemon: CA ${settings.directoryUrl}, store ${settings.storeDirectory}${address ? `, status page, /metrics and /healthz on ${formatListenAddress({ host: address.address, port: address.port })}` : ''}`,
  );
  const deployer = new Deployer({
    storeDirectory: settings.storeDirectory,
    ...(settings.deployHook ? { defaultHook: settings.deployHook } : {}),
    hookTimeoutMs: settings.deployHookTimeoutMs,
  });
  try {
    while (!stopped.aborted) {
      let wakeAt = Date.now() + settings.daemon.maxSweepIntervalMs;
      try {
        const items = await workItems(runtime, settings.certificates);
        const results = await keepCertificates(runtime, items, {
          reporter: site ? new FeedReporter(reporter, site.feed) : reporter,
          deployer,
          signal: stopped,
          answerFreshLocally: false,
        });
        for (const { outcome } of results) wakeAt = Math.min(wakeAt, attentionAt(outcome));
        setHealth({
          running: !stopped.aborted,
          lastSweepAt: new Date().toISOString(),
          failing: results
            .filter((r) => r.outcome.type === 'failed' || r.deployFailed)
            .map((r) => r.names.join(',')),
          deferred: results.filter((r) => r.outcome.type === 'deferred').map((r) => r.names.join(',')),
        });
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
      // At least a second between sweeps, so a certificate due "now" cannot spin the loop.
      const waitMs = Math.max(1000, wakeAt - Date.now());
      setHealth({ ...health, nextSweepAt: new Date(Date.now() + waitMs).toISOString() });
      await sleep(waitMs, stopped).catch(() => undefined);
    }
  } finally {
    interruption.dispose();
    const closed = new Promise<void>((resolve) => (endpoints ? endpoints.close(() => resolve()) : resolve()));
    endpoints?.closeAllConnections();
    await closed;
    site?.close();
    await runtime.close();
    reporter.info('certkeeper daemon stopped');
    reporter.close();
  }
  return ExitCode.OK;
}

/** When a certificate needs the daemon again: its renewal check, the end of its deferral or backoff. */
function attentionAt(outcome: EnsureOutcome): number {
  if (outcome.type === 'fresh') return outcome.nextCheckAt.getTime();
  if (outcome.type === 'deferred') return outcome.until.getTime();
  if (outcome.type === 'failed') return outcome.retryAt.getTime();
  return renewalTime(outcome.certificate).at.getTime();
}
