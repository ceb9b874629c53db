import { buildStatusReport } from '@certkeeper/manager';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { renderStatus } from '../output/status-view.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { statusRequests } from '../runtime/status-requests.js';
import { type CommandContext, settingsOf } from './context.js';

/** `certkeeper status`: the table of every configured and stored certificate, from the store alone (no CA request). */
export async function statusCommand(context: CommandContext): Promise<ExitCodeValue> {
  const settings = await settingsOf(context);
  const runtime = await openRuntime(settings, {
    logger: context.logger,
    solvers: false,
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
  });
  try {
    const report = await buildStatusReport({
      options: runtime.managerOptions,
      store: runtime.store,
      requests: statusRequests(settings),
    });
    context.print(renderStatus(report, new Date()), report);
    return ExitCode.OK;
  } finally {
    await runtime.close();
  }
}
