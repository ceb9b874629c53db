import { CertificateRejectedError } from '../../errors/certificate-rejected-error.js';
import { chooseVerifiedChain } from '../certificate-request.js';
import type { ResolvedDeps } from '../engine-deps.js';
import { issuedChainInspector } from '../issued-chain-inspector.js';
import type { OrderState } from '../order-state.js';
import { continueNow, enterPhase, type StepResult } from '../step-result.js';

/**
 * Download the chain and verify it before it can be accepted: the issued certificate is the CA's claim, not a fact
 * (RFC 8555 §6.1). A chain that fails is never put in the state (so never stored); the step throws
 * CertificateRejectedError naming the order and every finding. Alternates (`Link: rel="alternate"`) are fetched only
 * when a preferred chain is configured and the default one does not match it, or when the default one fails.
 */
export async function download(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const { client, signal } = deps;
  const downloaded = await client.certificates.download(state.certificateUrl!, signal);
  const inspect = await issuedChainInspector(state, deps);
  const certificate = await chooseVerifiedChain(
    downloaded,
    state.preferredChain,
    (url) => client.certificates.downloadChain(url, signal),
    (chain) => {
      const findings = inspect(chain);
      if (findings.length > 0 && chain.url !== downloaded.default.url)
        deps.logger.warn({ orderId: state.id, url: chain.url, findings }, 'alternate chain refused');
      return findings;
    },
    (findings) =>
      new CertificateRejectedError(findings, {
        identifiers: state.identifiers,
        ...(state.orderUrl ? { orderUrl: state.orderUrl } : {}),
        certificateUrl: downloaded.default.url,
      }),
  );
  deps.logger.info(
    { orderId: state.id, certificateUrl: certificate.url },
    'certificate downloaded and verified',
  );
  return { state: enterPhase(state, 'cleanup', deps.clock.now(), { certificate }), next: continueNow };
}
