import { certificateKey } from '@certkeeper/policy';
import type { InterruptionNotice, Reporter } from '../output/reporter.js';
import { Interruption, type StopSignal, signalExitCode } from './interruption.js';
import type { ItemResult } from './keep-certificates.js';
import type { Runtime } from './open-runtime.js';
import { requestOf } from './stored-request.js';
import type { WorkItem } from './work-items.js';

/** How a person resumes: `renew` picks every stored order up; an `issue` is resumed by running it again. */
export function resumeCommand(command: 'issue' | 'renew'): string {
  return command === 'renew' ? '`certkeeper renew` resumes it' : 'the same `certkeeper issue` resumes it';
}

/**
 * What a run stopped by `signal` leaves: items are worked on in order, so the first without a result is the one
 * the signal stopped — its order is kept if the store has one (every step stores it before it runs), and the ones
 * after it were not started. Read from the store, so the line says what is there, not what was hoped.
 */
export async function interruptionNotice(
  runtime: Runtime,
  items: readonly WorkItem[],
  results: readonly ItemResult[],
  signal: StopSignal,
  command: 'issue' | 'renew',
): Promise<InterruptionNotice> {
  const stopped = items[results.length];
  const notStarted = items.slice(results.length + 1).map((item) => item.names);
  const resume = resumeCommand(command);
  const base = { signal, notStarted, exitCode: signalExitCode(signal) };
  if (!stopped)
    return {
      ...base,
      resume,
      message: `interrupted (${signal}) after every certificate was handled; nothing is left to resume`,
    };
  const kept = (await orderKept(runtime, stopped).catch(() => false)) ? 'order' : 'nothing';
  const names = stopped.names.join(', ');
  const others = notStarted.length ? `; not started: ${notStarted.map((n) => n.join(', ')).join('; ')}` : '';
  const message =
    kept === 'order'
      ? `interrupted: the order for ${names} is kept; ${resume}${others}`
      : `interrupted before anything was ordered for ${names}; ${resume.replace('resumes it', 'starts it again')}${others}`;
  return { ...base, names: stopped.names, kept, resume, message };
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
