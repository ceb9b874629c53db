import type { ChallengeSolver } from '@certkeeper/core';
import type { InjectionToken } from 'tsyringe';
import type { CertificateManager } from './certificate-manager.js';
import type { CertkeeperMetrics } from './metrics.js';
import type { ManagerOptions } from './options.js';

// Core's ports keep their tokens next to their interfaces (ClockToken, LoggerToken, StoreToken); these are the
// manager's own. Symbol.for keeps them equal across duplicate copies of the package.
export const ManagerOptionsToken: InjectionToken<ManagerOptions> = Symbol.for('certkeeper.ManagerOptions');
export const SolversToken: InjectionToken<ChallengeSolver[]> = Symbol.for('certkeeper.Solvers');
export const MetricsToken: InjectionToken<CertkeeperMetrics> = Symbol.for('certkeeper.Metrics');
export const CertificateManagerToken: InjectionToken<CertificateManager> = Symbol.for(
  'certkeeper.CertificateManager',
);
