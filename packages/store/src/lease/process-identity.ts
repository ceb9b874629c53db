import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * What tells one process apart from every other, on Linux: the host, the boot (a reboot restarts pids and
 * start times), the pid namespace (two containers sharing a volume have their own pid 1, 2, 3…), the pid, and
 * the pid's start time (so a reused pid is not mistaken for the process that held it). `-` where the system
 * does not say (no /proc: macOS); such a process can never be proven dead.
 */
export interface ProcessIdentity {
  readonly host: string;
  readonly bootId: string;
  readonly pidNamespace: string;
  readonly pid: number;
  readonly startTime: string;
}

export const unknown = '-';

let self: ProcessIdentity | undefined;

/** This process's identity, read once. */
export function processIdentity(): ProcessIdentity {
  self ??= {
    host: plainHost(hostname()),
    bootId: readOr('/proc/sys/kernel/random/boot_id', (text) => text.trim(), /^[0-9a-f-]{36}$/),
    pidNamespace: (() => {
      try {
        return String(statSync('/proc/self/ns/pid').ino);
      } catch {
        return unknown;
      }
    })(),
    pid: process.pid,
    startTime: readOr(`/proc/${process.pid}/stat`, (text) => parseStat(text)?.startTime ?? '', /^\d+$/),
  };
  return self;
}

/** A host name as it goes into a holder id: ASCII letters, digits, `.`, `-`, `_` only, at most 64 characters. */
export function plainHost(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || unknown;
}

/**
 * The state of process `pid` in this pid namespace: `gone` (no such process, or a zombie waiting to be reaped:
 * it runs no more code), its start time, or `unknown` (it exists but cannot be read: another user's process
 * under `hidepid`, or no /proc).
 */
export async function processState(
  pid: number,
): Promise<{ gone: true } | { gone: false; startTime: string }> {
  try {
    const stat = parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
    if (stat === undefined) return { gone: false, startTime: unknown };
    return stat.state === 'Z' || stat.state === 'X'
      ? { gone: true }
      : { gone: false, startTime: stat.startTime };
  } catch {
    // Not readable: ask the kernel whether the pid exists at all (EPERM: it does, as another user's).
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as { code?: string }).code === 'ESRCH') return { gone: true };
    }
    return { gone: false, startTime: unknown };
  }
}

/**
 * Fields 3 (state) and 22 (starttime, clock ticks after boot) of /proc/<pid>/stat (proc(5)). Field 2, the
 * command name, is in parentheses and may itself hold spaces and parentheses: count from the last `)`.
 */
function parseStat(text: string): { state: string; startTime: string } | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, startTime] = [fields[0], fields[19]];
  return state && startTime && /^\d+$/.test(startTime) ? { state, startTime } : undefined;
}

function readOr(path: string, parse: (text: string) => string, valid: RegExp): string {
  try {
    const value = parse(readFileSync(path, 'utf8'));
    return valid.test(value) ? value : unknown;
  } catch {
    return unknown;
  }
}
