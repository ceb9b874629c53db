import { AcmeClient, type AcmeResponse, importAccountKey, type Order } from '@certkeeper/core';
import type { Store } from '@certkeeper/store';

/**
 * The orders the CA holds for the account a store keeps (RFC 8555 §7.1.2.1: the account's `orders` list, each
 * fetched with POST-as-GET). What the CA recorded — profile, `replaces` — read from the CA itself,
 * not from a proxy in between. Pebble lists every order that is not invalid, in no particular order.
 */
export async function ordersAtCa(
  store: Store,
  ca: { readonly directoryUrl: string; readonly caBundlePem: string },
  accountName = 'default',
): Promise<Order[]> {
  const account = await store.getAccount(ca.directoryUrl, accountName);
  if (!account) throw new Error(`no account "${accountName}" for ${ca.directoryUrl} in the store`);
  const accountKey = await importAccountKey(account.keyPem);
  const client = new AcmeClient({
    directoryUrl: ca.directoryUrl,
    caBundle: ca.caBundlePem,
    accountKey,
    accountUrl: account.accountUrl,
  });
  try {
    const signed = { key: accountKey, kid: account.accountUrl } as const;
    const { body } = await client.transport.post<{ orders?: string }>(account.accountUrl, '', {
      ...signed,
      resource: 'account',
    });
    if (!body.orders) throw new Error(`the CA's account object has no orders URL: ${JSON.stringify(body)}`);
    const orders: Order[] = [];
    // The list comes in pages linked with rel="next" (§7.1.2.1; Pebble: PEBBLE_WFE_ORDERS_PER_PAGE, default 3).
    for (let page: string | undefined = body.orders; page; ) {
      const list: AcmeResponse<{ orders: string[] }> = await client.transport.post<{ orders: string[] }>(
        page,
        '',
        {
          ...signed,
          resource: 'order',
        },
      );
      for (const url of list.body.orders) orders.push((await client.orders.get(url)).order);
      page = list.links.find((link) => link.rel === 'next')?.url;
    }
    return orders;
  } finally {
    await client.close();
  }
}
