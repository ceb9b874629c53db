/**
 * dns-01 benchmark figures against BIND 9 (primary + secondary, IPv4 + IPv6, NOTIFY without batching delay):
 * time from the last record created to "ready", checks needed, and DNS queries per check. `pnpm bench` calls
 * this from test/bench (one JSON line per figure); needs root and BIND like the test/dns suites.
 */
import { Dns01Solver } from '@certkeeper/dns';
import { startBindServers } from './support/bind-servers.js';
import { dnsTasks, publishAndWait } from './support/measure-propagation.js';
import { NsupdateTestProvider } from './support/nsupdate-provider.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function benchDns01(
  emit: (bench: string, figures: Record<string, unknown>) => void,
): Promise<void> {
  const bind = await startBindServers({ notifyDelaySeconds: 0 });
  try {
    const provider = new NsupdateTestProvider({ host: bind.addresses.primary.v4, port: 53 }, bind.updateKey);
    const names = [
      'bench.prop.test',
      '*.bench.prop.test',
      'a.bench.prop.test',
      'b.bench.prop.test',
      'c.bench.prop.test',
    ];
    const modes = [
      { mode: 'default-schedule', pollEveryMs: undefined },
      { mode: 'poll-every-10ms', pollEveryMs: 10 },
    ];
    for (const { mode, pollEveryMs } of modes) {
      const solver = new Dns01Solver({ provider, discovery: { resolvers: [bind.addresses.primary.v4] } });
      const { receipts, figures } = await publishAndWait(solver, dnsTasks(names, mode), {
        pollEveryMs: pollEveryMs ?? undefined,
      });
      // Another worker picking the job up has no cached NS set: its first check also pays for discovery.
      const fresh = new Dns01Solver({ provider, discovery: { resolvers: [bind.addresses.primary.v4] } });
      const coldCheck = await fresh.checkPropagation(receipts);
      emit('dns01-propagation', {
        mode,
        names: names.length,
        authoritativeAddresses: 4,
        msLastRecordToReady: figures.msLastRecordToReady,
        checks: figures.checks,
        queriesPerCheck: median(figures.queriesPerCheck),
        medianMsPerCheck: median(figures.msPerCheck),
        queriesFirstCheckNewWorker: coldCheck.queries,
      });
      await solver.cleanup(receipts);
    }
  } finally {
    await bind.stop();
  }
}
