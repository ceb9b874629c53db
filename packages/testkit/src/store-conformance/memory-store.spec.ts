import { MemoryStore, type OrderRecord } from '@certkeeper/store';
import { describe, expect, it } from 'vitest';
import { runStoreConformance } from './run-conformance.js';
import { describeStoreConformance } from './vitest-adapter.js';

// Double entry: the reference implementation passes the kit, so a failing backend is the backend's fault.
describeStoreConformance('MemoryStore', () => ({ store: new MemoryStore() }), {
  notApplicable: { durability: 'an in-memory store keeps nothing after close' },
});

describe('the store conformance kit itself', () => {
  it('fails a store that breaks the contract, naming the broken cases', async () => {
    // A store that lets every caller take the same lease, always with token 1.
    class SharedLeaseStore extends MemoryStore {
      override async acquireLease(name: string, holder: string, ttlMs: number) {
        return { name, holder, token: 1, expiresAt: new Date(Date.now() + ttlMs).toISOString() };
      }
    }
    const outcomes = await runStoreConformance(() => ({ store: new SharedLeaseStore() }), {
      notApplicable: { durability: 'in memory' },
    });
    const failed = outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.id);
    expect(failed).toEqual(
      expect.arrayContaining([
        'lease-exclusive',
        'lease-expiry',
        'lease-token-monotonic',
        'concurrent-lease',
      ]),
    );
    expect(failed).not.toContain('account-round-trip');
  });

  it('fails a store whose order writes ignore the expected revision (last writer wins)', async () => {
    class LastWriterWinsStore extends MemoryStore {
      override async putOrder(record: Omit<OrderRecord, 'revision'>) {
        return super.putOrder(record, (await this.getOrder(record.key))?.revision ?? 0);
      }
    }
    const outcomes = await runStoreConformance(() => ({ store: new LastWriterWinsStore() }), {
      notApplicable: { durability: 'in memory' },
    });
    const failed = outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.id);
    expect(failed).toContain('order-revision');
    expect(failed).not.toContain('managed-round-trip');
  });

  it('requires reopen for the durability case unless declared not applicable', async () => {
    const outcomes = await runStoreConformance(() => ({ store: new MemoryStore() }));
    const durability = outcomes.find((outcome) => outcome.id === 'durability');
    expect(durability?.passed).toBe(false);
    expect(String(durability?.error)).toContain('reopen');
  });
});
