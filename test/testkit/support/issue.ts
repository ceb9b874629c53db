import type { ChalltestsrvClient } from '@certkeeper/testkit';
import { type AcmeResponse, createCsr, type MiniAcme } from './mini-acme.js';

interface AuthorizationJson {
  readonly identifier: { readonly value: string };
  readonly challenges: readonly { readonly type: string; readonly url: string; readonly token: string }[];
}

export interface Issued {
  readonly orderUrl: string;
  readonly certificatePem: string;
  /** Every response of the flow, in order, for assertions on headers. */
  readonly responses: readonly { readonly step: string; readonly response: AcmeResponse }[];
}

/**
 * Orders a certificate for `names` with dns-01, publishing TXT records through challtestsrv: the whole RFC 8555
 * flow (newOrder → authorizations → challenges → finalize → poll → download). Throws with the CA's answer at the
 * first step that does not go as expected.
 */
export async function issueWithDns01(
  client: MiniAcme,
  challtestsrv: ChalltestsrvClient,
  names: readonly string[],
): Promise<Issued> {
  const responses: { step: string; response: AcmeResponse }[] = [];
  const step = (name: string, response: AcmeResponse, ok: number[]) => {
    responses.push({ step: name, response });
    if (!ok.includes(response.status)) throw new Error(`${name}: HTTP ${response.status} ${response.text}`);
    return response;
  };

  const order = step('newOrder', await client.newOrder(names), [201]);
  const orderUrl = String(order.headers.location);
  const authzUrls = order.json?.authorizations as string[];
  const published: string[] = [];
  const challengeUrls: { authz: string; challenge: string }[] = [];
  for (const authzUrl of authzUrls) {
    const authz = step('authz', await client.post(authzUrl, ''), [200]);
    const body = authz.json as unknown as AuthorizationJson;
    const identifier = body.identifier.value;
    const challenge = body.challenges.find((c) => c.type === 'dns-01');
    if (!challenge) throw new Error(`authz ${authzUrl} offers no dns-01 challenge`);
    const host = `_acme-challenge.${identifier}`;
    await challtestsrv.addTxt(host, await client.dnsTxtValue(challenge.token));
    published.push(host);
    challengeUrls.push({ authz: authzUrl, challenge: challenge.url });
  }
  try {
    for (const { challenge } of challengeUrls) step('challenge', await client.post(challenge, {}), [200]);
    for (const { authz } of challengeUrls) {
      const settled = step('authz-poll', await client.pollUntilSettled(authz), [200]);
      if (settled.json?.status !== 'valid') throw new Error(`authz ${authz} ended ${settled.text}`);
    }
  } finally {
    for (const host of published) await challtestsrv.clearTxt(host);
  }
  step('finalize', await client.post(String(order.json?.finalize), { csr: await createCsr(names) }), [200]);
  const valid = step('order-poll', await client.pollUntilSettled(orderUrl), [200]);
  if (valid.json?.status !== 'valid') throw new Error(`order ${orderUrl} ended ${valid.text}`);
  const certificate = step('cert', await client.post(String(valid.json.certificate), ''), [200]);
  return { orderUrl, certificatePem: certificate.text, responses };
}
