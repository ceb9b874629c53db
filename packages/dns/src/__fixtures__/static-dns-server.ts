// An in-process authoritative DNS server for unit specs (UDP + TCP on 127.0.0.1, random ports). It is a real
// network peer, so specs exercise the wire client end to end without an external service.
import { createSocket } from 'node:dgram';
import { type AddressInfo, createServer } from 'node:net';
import dnsPacket from 'dns-packet';
import type { ServerAddress } from '../wire/server-address.js';

export interface FixtureRecord {
  name: string;
  type: 'TXT' | 'NS' | 'A' | 'AAAA' | 'CNAME';
  data: string;
  ttl?: number;
}

export interface FixtureOptions {
  zones: string[];
  /** The records served; a function is called per query, so a fixture can mirror a provider live. */
  records?: FixtureRecord[] | (() => FixtureRecord[]);
  /** Set TC on every UDP answer, forcing the client onto TCP. */
  truncateUdp?: boolean;
  /** Drop this many UDP queries without answering (lost datagrams). */
  dropUdp?: number;
  /** Answer NXDOMAIN (no SOA) outside `zones`, like a resolver asked about an unregistered domain. */
  nxdomainOutside?: boolean;
  /** Answer with this rcode whatever the question. */
  rcode?: 'SERVFAIL' | 'REFUSED';
}

export interface StaticDnsServer {
  readonly address: ServerAddress;
  readonly options: FixtureOptions;
  readonly received: { transport: 'udp' | 'tcp'; name: string; type: string; rd: boolean }[];
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, NXDOMAIN: 3, SERVFAIL: 2, REFUSED: 5 } as const;

export async function startStaticDnsServer(options: FixtureOptions): Promise<StaticDnsServer> {
  const received: StaticDnsServer['received'] = [];
  const tcp = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      const query = dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
      socket.end(dnsPacket.streamEncode(answer(query, options, received, 'tcp')));
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const port = (tcp.address() as AddressInfo).port;
  const udp = createSocket('udp4');
  let dropped = 0;
  udp.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    if (dropped < (options.dropUdp ?? 0)) {
      dropped += 1;
      received.push({ transport: 'udp', name: query.questions?.[0]?.name ?? '', type: 'dropped', rd: false });
      return;
    }
    const reply = answer(query, options, received, 'udp');
    if (options.truncateUdp) reply.flags = (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE;
    udp.send(
      dnsPacket.encode(options.truncateUdp ? { ...reply, answers: [] } : reply),
      remote.port,
      remote.address,
    );
  });
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
  return {
    address: { host: '127.0.0.1', port },
    options,
    received,
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

function answer(
  query: dnsPacket.DecodedPacket,
  options: FixtureOptions,
  received: StaticDnsServer['received'],
  transport: 'udp' | 'tcp',
): dnsPacket.Packet {
  const question = query.questions![0]!;
  const qname = question.name.toLowerCase().replace(/\.$/, '');
  received.push({ transport, name: qname, type: question.type, rd: query.flag_rd });
  const base = { type: 'response' as const, id: query.id, questions: [question] };
  if (options.rcode) return { ...base, flags: RCODE[options.rcode] };
  const zone = options.zones
    .filter((candidate) => qname === candidate || qname.endsWith(`.${candidate}`))
    .sort((a, b) => b.length - a.length)[0];
  if (!zone) return { ...base, flags: options.nxdomainOutside ? RCODE.NXDOMAIN : RCODE.REFUSED };
  const soa: dnsPacket.Answer = {
    type: 'SOA',
    name: zone,
    ttl: 300,
    data: {
      mname: `ns1.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: 1,
      refresh: 900,
      retry: 300,
      expire: 86400,
      minimum: 60,
    },
  };
  const records = typeof options.records === 'function' ? options.records() : (options.records ?? []);
  const at = (name: string) => records.filter((record) => record.name === name);
  const toAnswer = (record: FixtureRecord): dnsPacket.Answer =>
    record.type === 'TXT'
      ? { type: 'TXT', name: record.name, ttl: record.ttl ?? 60, data: [record.data] }
      : { type: record.type, name: record.name, ttl: record.ttl ?? 60, data: record.data };
  const flags = dnsPacket.AUTHORITATIVE_ANSWER;
  if (question.type === 'SOA' && qname === zone) return { ...base, flags, answers: [soa] };
  const chain: dnsPacket.Answer[] = [];
  let name = qname;
  for (let hops = 0; hops < 8; hops++) {
    const matching = at(name).filter((record) => record.type === question.type);
    if (matching.length > 0) return { ...base, flags, answers: [...chain, ...matching.map(toAnswer)] };
    const cname = at(name).find((record) => record.type === 'CNAME');
    if (!cname) break;
    chain.push(toAnswer(cname));
    name = cname.data;
    if (!(name === zone || name.endsWith(`.${zone}`))) return { ...base, flags, answers: chain };
  }
  const exists =
    name === zone || records.some((record) => record.name === name || record.name.endsWith(`.${name}`));
  return {
    ...base,
    flags: flags | (exists ? RCODE.NOERROR : RCODE.NXDOMAIN),
    answers: chain,
    authorities: [soa],
  };
}
