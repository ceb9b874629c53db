import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import type { CertificateManager } from './certificate-manager.js';
import { type CertkeeperComposition, composeCertkeeperContainer } from './composition.js';
import type { CertkeeperMetrics } from './metrics.js';
import { CertificateManagerToken } from './tokens.js';

export { AccountRegistry } from './account-registry.js';

/**
 * `@certkeeper/manager/compose`: what composing a manager needs, without the package's index — which also holds the
 * Prometheus metrics (prom-client, and with it node:cluster, perf_hooks, zlib) and the JSON logger (pino, with
 * worker_threads). A one-off `certkeeper issue` or cron `renew` uses neither; loading them was ≈ 20–40 ms of a cold
 * start's CPU (issue 13). `metrics` must be given here (an instance, or false to go without): the default instance
 * is createCertificateManager's, from the index.
 */
export function composeCertificateManager(
  composition: CertkeeperComposition & { readonly metrics: CertkeeperMetrics | false },
): CertificateManager {
  return composeCertkeeperContainer(composition, rootContainer, () => false).resolve(CertificateManagerToken);
}
