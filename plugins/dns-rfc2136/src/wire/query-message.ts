import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';

/** A non-recursive query (`TXT`, `SOA`, or `AXFR` for a zone transfer) with a random id. */
export function encodeQuery(name: string, type: 'TXT' | 'SOA' | 'AXFR'): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: randomInt(0, 0x10000),
    flags: 0,
    questions: [{ type, name, class: 'IN' }],
  });
}
