import { type FaultProxy, faults, type PebbleHandle, startFaultProxy } from '@certkeeper/testkit';

/**
 * Pebble behind the fault proxy, with `type` removed from every authorization it sends: a CA that does not
 * implement that draft challenge, for the fallback tests of dns-account-01 and dns-persist-01.
 */
export async function caWithoutChallenge(pebble: PebbleHandle, type: string): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ target: pebble.directoryUrl, caBundlePem: pebble.caBundlePem });
  proxy.addRule({
    kind: 'authz',
    action: faults.respond(async (_request, context) => {
      const upstream = await context.forward();
      const authorization = upstream.json<{ challenges: { type: string }[] }>();
      const { 'content-length': _length, ...headers } = upstream.headers;
      return {
        status: upstream.status,
        headers: headers as Record<string, string>,
        body: { ...authorization, challenges: authorization.challenges.filter((c) => c.type !== type) },
      };
    }),
  });
  return proxy;
}
