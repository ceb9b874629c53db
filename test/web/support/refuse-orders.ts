import type { FaultProxy, FaultRule } from '@certkeeper/testkit';

/**
 * The CA refuses every new order naming `name` (`rejectedIdentifier`, as a CA's policy would), and lets every other
 * order through: a certificate that fails for a reason the CA gives, with certkeeper's hint for it.
 */
export function refuseOrdersFor(proxy: FaultProxy, name: string): FaultRule {
  return proxy.addRule({
    kind: 'newOrder',
    method: 'POST',
    action: {
      type: 'respond',
      handler: async (request, context) => {
        if (!request.jws?.payload.includes(`"${name}"`)) {
          const upstream = await context.forward();
          const headers = Object.fromEntries(
            Object.entries(upstream.headers).filter(
              (entry): entry is [string, string | string[]] => entry[1] !== undefined,
            ),
          );
          return { status: upstream.status, headers, body: upstream.body };
        }
        return {
          status: 400,
          headers: { 'content-type': 'application/problem+json', 'replay-nonce': await context.freshNonce() },
          body: {
            type: 'urn:ietf:params:acme:error:rejectedIdentifier',
            detail: `${name} is on the CA's block list (injected by the fault proxy)`,
            status: 400,
          },
        };
      },
    },
  });
}
