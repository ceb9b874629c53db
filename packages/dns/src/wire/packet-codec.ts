import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { DnsQuestion, ResourceRecord } from './dns-message.js';

const RCODES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

/** A random 16-bit id per query: fixed or sequential ids make spoofed answers easy to match. */
export function encodeQuery(
  question: DnsQuestion,
  ednsUdpSize: number,
): { id: number; packet: dnsPacket.Packet } {
  const id = randomInt(0, 0x10000);
  const packet: dnsPacket.Packet = {
    type: 'query',
    id,
    flags: question.recursionDesired ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ type: question.type, name: question.name, class: 'IN' }],
    // EDNS0 (RFC 6891) lets a server send up to ednsUdpSize bytes over UDP; 1232 is the DNS Flag Day 2020
    // size that avoids IP fragmentation. 0 disables EDNS, capping UDP answers at 512 bytes.
    additionals:
      ednsUdpSize > 0
        ? [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: ednsUdpSize,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: 0,
              flag_do: false,
              options: [],
            },
          ]
        : [],
  };
  return { id, packet };
}

export function rcodeName(flags: number | undefined): string {
  const code = (flags ?? 0) & 0xf;
  return RCODES[code] ?? `RCODE_${code}`;
}

export function isTruncated(packet: dnsPacket.DecodedPacket): boolean {
  return packet.flag_tc;
}

/** Whether a decoded packet is the answer to our query (same id, same question), ignoring case per RFC 4343. */
export function answersQuery(packet: dnsPacket.DecodedPacket, id: number, question: DnsQuestion): boolean {
  const asked = packet.questions?.[0];
  return (
    packet.type === 'response' &&
    packet.id === id &&
    asked !== undefined &&
    asked.type === question.type &&
    asked.name.toLowerCase().replace(/\.$/, '') === question.name.toLowerCase().replace(/\.$/, '')
  );
}

export function simplifyRecords(answers: readonly dnsPacket.Answer[] | undefined): ResourceRecord[] {
  const records: ResourceRecord[] = [];
  for (const answer of answers ?? []) {
    if (answer.type === 'OPT') continue;
    const name = answer.name.toLowerCase().replace(/\.$/, '');
    const ttl = answer.ttl ?? 0;
    if (answer.type === 'TXT') {
      // A TXT record may hold several character-strings; CAs concatenate them into one value (seed 000).
      const parts = Array.isArray(answer.data) ? answer.data : [answer.data];
      const data = parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
      records.push({ name, type: 'TXT', ttl, data });
    } else if (answer.type === 'SOA') {
      const soa = answer.data;
      records.push({
        name,
        type: 'SOA',
        ttl,
        data: soa.mname,
        soa: {
          mname: soa.mname.toLowerCase().replace(/\.$/, ''),
          rname: soa.rname,
          serial: soa.serial ?? 0,
          refresh: soa.refresh ?? 0,
          retry: soa.retry ?? 0,
          expire: soa.expire ?? 0,
          minimum: soa.minimum ?? 0,
        },
      });
    } else if (typeof answer.data === 'string') {
      records.push({ name, type: answer.type, ttl, data: answer.data.toLowerCase().replace(/\.$/, '') });
    } else {
      records.push({ name, type: answer.type, ttl, data: '' });
    }
  }
  return records;
}
