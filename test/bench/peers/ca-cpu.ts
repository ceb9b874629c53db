import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system, ms) of the processes serving the clients: Pebble and pebble-challtestsrv (read from
 * /proc at the kernel's 10 ms tick) and this process, where the request-counting proxy runs. With the client's
 * own CPU it bounds how fast a run can be on this machine: no run finishes before all of it is done on its cores.
 */
export function serverCpuMs(pids: readonly (number | undefined)[]): { caMs: number; proxyMs: number } {
  let ticks = 0;
  for (const pid of pids) {
    if (pid === undefined) continue;
    try {
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the whole line.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Not Linux, or the process is gone: no figure rather than a wrong one.
      return { caMs: Number.NaN, proxyMs: Number.NaN };
    }
  }
  const own = process.cpuUsage();
  return { caMs: ticks * 10, proxyMs: (own.user + own.system) / 1000 };
}
