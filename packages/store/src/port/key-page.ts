/** How list calls page: `limit` records (default 1000) after `afterKey`, in key order. */
export interface KeyPageOptions {
  readonly afterKey?: string;
  readonly limit?: number;
}

/** One page of `sortedKeys` (sorted ascending): the first `limit` keys greater than `afterKey`. */
export function keyPage(sortedKeys: readonly string[], options: KeyPageOptions = {}): string[] {
  const { afterKey } = options;
  const from = afterKey === undefined ? 0 : firstIndexAfter(sortedKeys, afterKey);
  return sortedKeys.slice(from, from + (options.limit ?? 1000));
}

/** Index of the first key greater than `afterKey` (binary search). */
function firstIndexAfter(keys: readonly string[], afterKey: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! <= afterKey) low = middle + 1;
    else high = middle;
  }
  return low;
}
