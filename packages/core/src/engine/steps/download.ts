import { choosePreferredChain } from '../certificate-request.js';
import type { ResolvedDeps } from '../engine-deps.js';
import type { OrderState } from '../order-state.js';
import { continueNow, enterPhase, type StepResult } from '../step-result.js';

/**
 * Download the chain. Alternates (`Link: rel="alternate"`) are fetched only when a preferred chain is configured
 * and the default one does not match it.
 */
export async function download(state: OrderState, deps: ResolvedDeps): Promise<StepResult> {
  const { client, signal } = deps;
  const downloaded = await client.certificates.download(state.certificateUrl!, signal);
  const certificate = await choosePreferredChain(downloaded, state.preferredChain, (url) =>
    client.certificates.downloadChain(url, signal),
  );
  deps.logger.info({ orderId: state.id, certificateUrl: certificate.url }, 'certificate downloaded');
  return { state: enterPhase(state, 'cleanup', deps.clock.now(), { certificate }), next: continueNow };
}
