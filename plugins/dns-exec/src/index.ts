export { ExecDnsProvider } from './exec-provider.js';
export { EXIT_CODES } from './exit-codes.js';
export type { ExecOptions } from './options.js';
export { type ExecPluginConfig, exec, execPlugin } from './plugin.js';
export { ExecRawSolver, type ExecRawSolverOptions } from './raw/exec-raw-solver.js';
export type { RawReceiptData } from './raw/raw-receipt.js';
export { VERSION } from './version.js';
