import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { encodeUpdate } from './update-message.js';

describe('encodeUpdate', () => {
  it('encodes an RFC 2136 UPDATE: zone SOA, "add RR" in class IN, "delete RR" in class NONE with TTL 0', () => {
    const message = encodeUpdate('example.test', [
      { action: 'add', fqdn: '_acme-challenge.www.example.test', value: 'first', ttl: 60 },
      { action: 'delete', fqdn: '_acme-challenge.www.example.test', value: 'second', ttl: 60 },
    ]);
    expect((message.readUInt16BE(2) >> 11) & 0xf).toBe(5);
    const decoded = dnsPacket.decode(message);
    expect(decoded.questions).toEqual([{ name: 'example.test', type: 'SOA', class: 'IN' }]);
    expect(decoded.answers).toEqual([]);
    const [add, remove] = decoded.authorities as dnsPacket.TxtAnswer[];
    expect(add).toMatchObject({
      name: '_acme-challenge.www.example.test',
      type: 'TXT',
      class: 'IN',
      ttl: 60,
    });
    expect(add!.data).toEqual([Buffer.from('first')]);
    expect(remove).toMatchObject({ type: 'TXT', class: 'UNKNOWN_254', ttl: 0 });
    expect(remove!.data).toEqual([Buffer.from('second')]);
  });

  it('uses a fresh random id per message', () => {
    const ids = new Set(Array.from({ length: 20 }, () => encodeUpdate('example.test', []).readUInt16BE(0)));
    expect(ids.size).toBeGreaterThan(15);
  });
});
