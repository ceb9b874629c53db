/** Every record of a keyed Store listing (listCertificates, listManaged), 500 at a time in key order. */
export async function* storePages<T extends { readonly key: string }>(
  list: (options: { afterKey?: string; limit: number }) => Promise<T[]>,
): AsyncGenerator<T> {
  let afterKey: string | undefined;
  for (;;) {
    const page = await list({ ...(afterKey ? { afterKey } : {}), limit: 500 });
    yield* page;
    if (page.length < 500) return;
    afterKey = page[page.length - 1]!.key;
  }
}
