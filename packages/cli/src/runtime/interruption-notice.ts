import { certificateKey } from '@certkeeper/policy';
import type { InterruptionNotice, Reporter } from '../output/reporter.js';
import { Interruption, type StopSignal, signalExitCode } from './interruption.js';
import type { KeptCertificates } from './keep-certificates.js';
import type { Runtime } from './open-runtime.js';
import { requestOf } from './stored-request.js';
import type { WorkItem } from './work-items.js';

/** How a person resumes: `renew` picks every stored order up; an `issue` is resumed by running it again. */
export function resumeCommand(command: 'issue' | 'renew'): string {
  return command === 'renew' ? '`certkeeper renew` resumes it' : 'the same `certkeeper issue` resumes it';
}

/**
 * What a run stopped by `signal` leaves: for each certificate under way, its order is kept if the store has one
 * (every step stores it before it runs); the ones not started yet are listed. Read from the store, so the line says
 * what is there, not what was hoped.
 */
export async function interruptionNotice(
  runtime: Runtime,
  items: readonly WorkItem[],
  kept: KeptCertificates,
  signal: StopSignal,
  command: 'issue' | 'renew',
): Promise<InterruptionNotice> {
  const handled = new Set(kept.results.map((result) => result.names));
  const unhandled = items.filter((item) => !handled.has(item.names));
  // Stopped before any certificate began (checking freshness, composing the manager): the first one is the one
  // stopped, as when certificates ran one at a time.
  const stoppedItems = kept.stopped.length > 0 ? kept.stopped : unhandled.slice(0, 1);
  const notStarted = unhandled.filter((item) => !stoppedItems.includes(item)).map((item) => item.names);
  const resume = resumeCommand(command);
  const base = { signal, notStarted, exitCode: signalExitCode(signal) };
  const others = notStarted.length ? `; not started: ${notStarted.map((n) => n.join(', ')).join('; ')}` : '';
  if (stoppedItems.length === 0)
    return {
      ...base,
      resume,
      message: `interrupted (${signal}) after every certificate was handled; nothing is left to resume`,
    };
  const stopped = await Promise.all(
    stoppedItems.map(async (item) => ({
      names: item.names,
      kept: (await orderKept(runtime, item).catch(() => false)) ? ('order' as const) : ('nothing' as const),
    })),
  );
  const list = (which: 'order' | 'nothing') =>
    stopped
      .filter((entry) => entry.kept === which)
      .map((entry) => entry.names.join(', '))
      .join('; ');
  const ordered = list('order');
  const nothing = list('nothing');
  const several = stopped.length > 1;
  const message = !several
    ? ordered
      ? `interrupted: the order for ${ordered} is kept; ${resume}${others}`
      : `interrupted before anything was ordered for ${nothing}; ${resume.replace('resumes it', 'starts it again')}${others}`
    : `interrupted: ${[
        ordered && `the orders for ${ordered} are kept`,
        nothing && `nothing was ordered yet for ${nothing}`,
      ]
        .filter(Boolean)
        .join(', ')}; ${resume.replace('resumes it', 'resumes them')}${others}`;
  const [first] = stopped;
  return { ...base, names: first!.names, kept: first!.kept, stopped, resume, message };
}

/**
 * The Interruption of `issue` or `renew`: Ctrl-C or SIGTERM stops at the next safe point; a second one says so in
 * one line, restores the terminal and exits at once.
 */
export function commandInterruption(reporter: Reporter, command: 'issue' | 'renew'): Interruption {
  return new Interruption({
    onExitNow: (signal) => {
      reporter.interrupted(exitNowNotice(signal, command));
      reporter.close();
    },
  });
}

/** The line for a second signal, which exits without waiting for the store: what any stored order allows. */
export function exitNowNotice(signal: StopSignal, command: 'issue' | 'renew'): InterruptionNotice {
  return {
    signal,
    notStarted: [],
    resume: resumeCommand(command),
    exitCode: signalExitCode(signal),
    message: `interrupted again (${signal}): exited at once without waiting; an order in flight is kept as of its last stored step, and ${resumeCommand(command)}`,
  };
}

async function orderKept(runtime: Runtime, item: WorkItem): Promise<boolean> {
  const account = await runtime.store.getAccount(
    runtime.settings.directoryUrl,
    runtime.settings.account.name,
  );
  if (!account?.accountUrl) return false;
  const key = certificateKey(requestOf(runtime, account.accountUrl, item.request));
  return (await runtime.store.getOrder(key)) !== undefined;
}
