import assert from 'node:assert/strict';

type List = (options?: { afterKey?: string; limit?: number }) => Promise<readonly { readonly key: string }[]>;

/** 23 keys under `prefix`, in scrambled order: a backend returning insertion order fails the paging checks. */
export function scrambledKeys(prefix: string): string[] {
  return Array.from({ length: 23 }, (_, i) => `${prefix}/${String((i * 7) % 23).padStart(2, '0')}`);
}

/**
 * Pages through `list` 5 at a time from `prefix` and asserts it saw exactly `expected` keys under the prefix,
 * in key order, each once; and that a call without options is in key order too.
 */
export async function assertKeyPaging(
  list: List,
  prefix: string,
  expected: readonly string[],
): Promise<void> {
  const seen: string[] = [];
  let afterKey = prefix;
  for (;;) {
    const page = await list({ afterKey, limit: 5 });
    assert.ok(page.length <= 5, `a page with limit 5 held ${page.length} records`);
    const ours = page.filter((record) => record.key.startsWith(`${prefix}/`));
    seen.push(...ours.map((record) => record.key));
    if (ours.length < page.length || page.length < 5) break;
    afterKey = page.at(-1)!.key;
  }
  assert.deepEqual(seen, [...expected].sort());
  const everything = (await list()).map((record) => record.key);
  assert.deepEqual(everything, [...everything].sort(), 'a list without options is not in key order');
}
