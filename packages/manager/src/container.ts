import 'reflect-metadata';
import { type DependencyContainer, container as rootContainer } from 'tsyringe';
import type { CertificateManager } from './certificate-manager.js';
import { type CertkeeperComposition, composeCertkeeperContainer } from './composition.js';
import { CertkeeperMetrics } from './metrics.js';
import { CertificateManagerToken } from './tokens.js';

export type { CertkeeperComposition } from './composition.js';

/**
 * The composition root: a child container with every part registered under its token. Replace any part by
 * registering another implementation of its token on the returned container before resolving the manager, e.g.
 * `container.register(LoggerToken, { useValue: myLogger })`. The engine never sees the container: parts get their
 * collaborators through their constructors. Without `metrics`, the manager gets Prometheus metrics of its own.
 */
export function createCertkeeperContainer(
  composition: CertkeeperComposition,
  parent: DependencyContainer = rootContainer,
): DependencyContainer {
  return composeCertkeeperContainer(composition, parent, () => new CertkeeperMetrics());
}

/** Shortcut: compose and resolve the manager. */
export function createCertificateManager(composition: CertkeeperComposition): CertificateManager {
  return createCertkeeperContainer(composition).resolve(CertificateManagerToken);
}
