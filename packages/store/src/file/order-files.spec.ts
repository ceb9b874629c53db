import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLocks } from './file-lock.js';
import { OrderFiles } from './order-files.js';
import { hashedName } from './safe-name.js';

describe('OrderFiles', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-orders-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads an order written before revisions existed as revision 1, and continues from it', async () => {
    const legacy = { key: 'legacy', updatedAt: '2026-11-01T00:00:00.000Z', state: { phase: 'finalize' } };
    await writeFile(join(directory, `${hashedName('legacy')}.json`), JSON.stringify(legacy));
    const orders = new OrderFiles(directory, new FileLocks(directory));
    expect(await orders.get('legacy')).toEqual({ ...legacy, revision: 1 });
    const error = await orders.put(legacy as never, 0).catch((e) => e);
    expect(error).toMatchObject({ code: 'CERTKEEPER_ERR_STORE_CONFLICT', foundRevision: 1 });
    expect((await orders.put(legacy as never, 1)).revision).toBe(2);
  });

  it('refuses an expected revision that is not a whole number ≥ 0 before touching anything', async () => {
    const orders = new OrderFiles(directory, new FileLocks(directory));
    for (const bad of [-1, 1.5, Number.NaN]) {
      const error = await orders.put({ key: 'x' } as never, bad).catch((e) => e);
      expect(error.code).toBe('CERTKEEPER_ERR_INVALID_OPTION');
    }
    expect(await orders.get('x')).toBeUndefined();
  });
});
