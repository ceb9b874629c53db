import { getCACertificates, setDefaultCACertificates } from 'node:tls';

/**
 * Adds a fake's CA to this test process's default trust store, for SDKs that only speak HTTPS through Node's global
 * agent and take no CA option (`@ovhcloud/node-ovh`). Only adds: every CA trusted before stays trusted.
 */
export function trustTestCa(caCertificatePem: string): void {
  setDefaultCACertificates([...getCACertificates('default'), caCertificatePem]);
}
