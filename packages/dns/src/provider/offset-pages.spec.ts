import { ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { collectOffsetPages, type OffsetPage } from './offset-pages.js';

const what = { provider: 'test', operation: 'list records' };

describe('collectOffsetPages', () => {
  it('reads every page up to the count the host reports', async () => {
    const data = ['a', 'b', 'c', 'd', 'e'];
    const asked: number[] = [];
    const items = await collectOffsetPages<string>(async (page) => {
      asked.push(page);
      return { items: data.slice((page - 1) * 2, page * 2), pages: 3, total: 5 };
    }, what);
    expect([items, asked]).toEqual([data, [1, 2, 3]]);
  });

  it('starts over when an item moved between pages, so none is missed', async () => {
    let data = ['a', 'b', 'c', 'd'];
    const pageOf = (page: number): OffsetPage<string> => ({
      items: data.slice((page - 1) * 2, page * 2),
      pages: Math.ceil(data.length / 2),
      total: data.length,
    });
    let calls = 0;
    const items = await collectOffsetPages<string>(async (page) => {
      calls++;
      // Another writer deletes "a" after page 1 was read: "c" moves onto page 1, unseen by a plain walk.
      if (calls === 2) data = ['b', 'c', 'd'];
      return pageOf(page);
    }, what);
    expect(items).toEqual(['b', 'c', 'd']);
  });

  it('starts over when a page is gone, and fails retryable when the list never holds still', async () => {
    let calls = 0;
    const again = await collectOffsetPages<string>(async (page) => {
      calls++;
      if (calls === 2) return 'gone';
      return { items: page === 1 ? ['a'] : ['b'], pages: 2, total: 2 };
    }, what);
    expect(again).toEqual(['a', 'b']);
    let total = 0;
    const error = await collectOffsetPages<string>(
      async () => ({ items: ['x'], pages: 2, total: total++ }),
      what,
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: ErrorCodes.DNS_PROVIDER_FAILED, retryable: true });
  });
});
