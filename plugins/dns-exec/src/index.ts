/** What the RAW solver stores per task (shared by every RAW-mode solver, from `@certkeeper/dns`). */
export type { RawReceiptData } from '@certkeeper/dns';
export { ExecDnsProvider } from './exec-provider.js';
export { EXIT_CODES } from './exit-codes.js';
export type { ExecOptions } from './options.js';
export { type ExecPluginConfig, exec, execPlugin } from './plugin.js';
export { ExecRawSolver, type ExecRawSolverOptions } from './raw/exec-raw-solver.js';
export { VERSION } from './version.js';
