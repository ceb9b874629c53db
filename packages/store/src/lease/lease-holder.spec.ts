import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeLeaseHolder, leaseHolderId, leaseHolderIsDead } from './lease-holder.js';

/** This process's holder id with some fields replaced: pid 3, start time 5 ("another process"), host 2… */
function forged(fields: Record<number, string | number>): string {
  const parts = leaseHolderId({ description: 'forged' }).split(':');
  for (const [index, value] of Object.entries(fields)) parts[Number(index)] = String(value);
  return parts.join(':');
}
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('leaseHolderId', () => {
  it('encodes host, boot id, pid namespace, pid, start time, a random part and the description, in ASCII', () => {
    const id = leaseHolderId({ description: 'certkeeper renew — «now»\n' });
    expect(id).toMatch(/^[\x20-\x7e]+$/);
    const [prefix, version, host, bootId, pidNamespace, pid, startTime, random, description] = id.split(':');
    expect([prefix, version]).toEqual(['certkeeper', '1']);
    expect(host).toBe(hostname().replace(/[^A-Za-z0-9._-]/g, '_'));
    expect(bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(pidNamespace).toMatch(/^\d+$/);
    expect(Number(pid)).toBe(process.pid);
    expect(startTime).toMatch(/^\d+$/);
    expect(random).toMatch(/^[0-9a-f]{12}$/);
    expect(description).toBe('certkeeper renew  now');
    expect(leaseHolderId()).not.toBe(leaseHolderId());
  });

  it('is described as a process on a host, or shown as is when it is not one of ours', () => {
    expect(describeLeaseHolder(leaseHolderId({ description: 'certkeeper renew' }))).toBe(
      `process ${process.pid} on ${hostname()} (certkeeper renew)`,
    );
    expect(describeLeaseHolder(leaseHolderId({ host: 'host-a.test' }))).toBe(
      `process ${process.pid} on host-a.test`,
    );
    expect(describeLeaseHolder('worker-7')).toBe('worker-7');
    expect(describeLeaseHolder('evil\x1b[2Jholder')).toBe('evil?[2Jholder');
  });
});

describe('leaseHolderIsDead', () => {
  it('proves dead a holder on this host whose pid is gone', async () => {
    expect(await leaseHolderIsDead(forged({ 5: deadPid() }))).toBe(true);
  });

  it('proves dead a holder whose pid now belongs to a process started at another time (pid reuse)', async () => {
    const own = leaseHolderId().split(':');
    expect(await leaseHolderIsDead(forged({ 6: Number(own[6]) + 1 }))).toBe(true);
  });

  it('keeps a live holder alive: this process', async () => {
    expect(await leaseHolderIsDead(leaseHolderId())).toBe(false);
  });

  it('proves nothing about another host, another boot, another pid namespace, unknown fields or foreign ids', async () => {
    const pid = deadPid();
    for (const holder of [
      forged({ 2: 'other-host.test', 5: pid }),
      forged({ 3: '00000000-0000-0000-0000-000000000000', 5: pid }),
      forged({ 4: '4026531999', 5: pid }),
      forged({ 4: '-', 5: pid }),
      forged({ 6: '-', 5: pid }),
      leaseHolderId({ host: 'other-host.test' }).replace(`:${process.pid}:`, `:${pid}:`),
      `worker-${pid}`,
      'certkeeper:1:too:short',
    ]) {
      expect(await leaseHolderIsDead(holder), holder).toBe(false);
    }
  });
});
