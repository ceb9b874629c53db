import { importCertificateKey } from '../crypto/certificate-key.js';
import { parseCsr } from '../crypto/csr-parse.js';
import { inspectIssuedChain } from '../crypto/verify-issued-chain.js';
import type { ChainInspector } from './certificate-request.js';
import type { ResolvedDeps } from './engine-deps.js';
import type { OrderState } from './order-state.js';

/**
 * What an order's certificate must be: issued for the CSR's key (the caller's CSR, or the one made from the state's
 * key), naming exactly the order's identifiers, valid now on the engine's clock, and chained to the client's trust
 * anchors when it has any.
 */
export async function issuedChainInspector(state: OrderState, deps: ResolvedDeps): Promise<ChainInspector> {
  const publicKey = state.certificateKeyPem
    ? importCertificateKey(state.certificateKeyPem).publicKey
    : (await parseCsr(Buffer.from(state.csr ?? '', 'base64url'))).publicKey;
  const now = deps.clock.now();
  return (chain) =>
    inspectIssuedChain(chain.pem, {
      identifiers: state.identifiers,
      publicKey,
      now,
      trustAnchors: deps.client.trustAnchors,
    });
}
