import dnsPacket from 'dns-packet';
import type { DnsQuestion, DnsResponse } from './dns-message.js';
import { MalformedDnsMessageError } from './malformed-message-error.js';
import { answersQuery, rcodeName, simplifyRecords } from './packet-codec.js';

/** A server's answer to one of our questions, read: the DnsResponse fields the message itself holds. */
export interface DecodedAnswer
  extends Pick<DnsResponse, 'rcode' | 'authoritative' | 'answers' | 'authorities' | 'additionals'> {
  /** TC: the answer did not fit a UDP datagram; ask again over TCP. */
  readonly truncated: boolean;
}

/**
 * Reads an answer from an untrusted server: decoded with dns-packet, checked to answer our query (id and
 * question), simplified. Whatever the bytes, it returns or throws {@link MalformedDnsMessageError}: dns-packet
 * throws plain Errors and TypeErrors on hostile input, which must not escape as something else.
 */
export function decodeAnswer(reply: Buffer, id: number, question: DnsQuestion): DecodedAnswer {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(reply);
  } catch (error) {
    throw new MalformedDnsMessageError(
      `not a DNS message: ${error instanceof Error ? error.message : error}`,
    );
  }
  try {
    if (!answersQuery(packet, id, question))
      throw new MalformedDnsMessageError('the message does not answer our question (id or question differ)');
    return {
      rcode: rcodeName(packet.flags),
      authoritative: packet.flag_aa === true,
      truncated: packet.flag_tc === true,
      answers: simplifyRecords(packet.answers),
      authorities: simplifyRecords(packet.authorities),
      additionals: simplifyRecords(packet.additionals),
    };
  } catch (error) {
    if (error instanceof MalformedDnsMessageError) throw error;
    throw new MalformedDnsMessageError(
      `unreadable records: ${error instanceof Error ? error.message : error}`,
    );
  }
}
