import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import dnsPacket from 'dns-packet';
import { type DecodedAnswer, decodeAnswer } from './decode-answer.js';
import type { DnsQuestion, DnsResponse, DnsTransport, LookupContext } from './dns-message.js';
import { tcpExchange, udpExchange } from './message-exchange.js';
import { encodeQuery } from './packet-codec.js';
import { formatServerAddress, type ServerAddress } from './server-address.js';

export interface WireTransportOptions {
  /** Time to wait for one UDP attempt or one TCP exchange. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** UDP attempts before giving up (UDP datagrams get lost). Default 2. */
  readonly udpAttempts?: number;
  /** EDNS0 UDP payload size to advertise; 0 sends no OPT record (512-byte UDP limit). Default 1232. */
  readonly ednsUdpSize?: number;
}

/**
 * Sends single questions straight to a chosen server: UDP first, TCP when the answer comes back truncated
 * (RFC 7766 §5). Node's `dns.Resolver` cannot clear the RD bit or target a per-query port, which propagation
 * checks need, hence this small client over `dns-packet`.
 *
 * Safe for concurrent use: every query opens its own socket with a random source port and id.
 */
export class WireDnsTransport implements DnsTransport {
  private readonly timeoutMs: number;
  private readonly udpAttempts: number;
  private readonly ednsUdpSize: number;

  constructor(options: WireTransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.udpAttempts = Math.max(1, options.udpAttempts ?? 2);
    this.ednsUdpSize = options.ednsUdpSize ?? 1232;
  }

  async query(
    server: ServerAddress,
    question: DnsQuestion,
    context: LookupContext = {},
  ): Promise<DnsResponse> {
    const started = performance.now();
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.udpAttempts; attempt++) {
      try {
        const packet = await this.exchange('udp', server, question, context);
        if (!packet.truncated) return toResponse(server, packet, 'udp', started);
        // Truncated: the full answer (several TXT values, say) only fits in a TCP stream.
        const full = await this.exchange('tcp', server, question, context);
        return toResponse(server, full, 'tcp', started);
      } catch (error) {
        lastError = error;
        if (context.signal?.aborted) break;
      }
    }
    throw new CertkeeperError(
      ErrorCodes.DNS_LOOKUP_FAILED,
      `DNS query ${question.type} ${question.name} to ${formatServerAddress(server)} got no answer: ${describe(lastError)}.`,
      {
        hint: 'Check that the server is reachable on that address and port (firewalls often drop DNS to non-resolvers).',
        retryable: true,
        cause: lastError,
      },
    );
  }

  private exchange(
    transport: 'udp' | 'tcp',
    server: ServerAddress,
    question: DnsQuestion,
    context: LookupContext,
  ): Promise<DecodedAnswer> {
    const { id, packet } = encodeQuery(question, transport === 'udp' ? this.ednsUdpSize : 0);
    if (context.stats) context.stats.queries += 1;
    return transport === 'udp'
      ? this.exchangeUdp(server, id, question, dnsPacket.encode(packet), context.signal)
      : this.exchangeTcp(server, id, question, dnsPacket.encode(packet), context.signal);
  }

  private async exchangeUdp(
    server: ServerAddress,
    id: number,
    question: DnsQuestion,
    message: Buffer,
    signal: AbortSignal | undefined,
  ): Promise<DecodedAnswer> {
    const reply = await udpExchange(server, message, {
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    return decodeAnswer(reply, id, question);
  }

  private async exchangeTcp(
    server: ServerAddress,
    id: number,
    question: DnsQuestion,
    message: Buffer,
    signal: AbortSignal | undefined,
  ): Promise<DecodedAnswer> {
    const [reply] = await tcpExchange(server, message, {
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    return decodeAnswer(reply!, id, question);
  }
}

function toResponse(
  server: ServerAddress,
  answer: DecodedAnswer,
  transport: 'udp' | 'tcp',
  started: number,
): DnsResponse {
  return {
    server,
    rcode: answer.rcode,
    authoritative: answer.authoritative,
    answers: answer.answers,
    authorities: answer.authorities,
    additionals: answer.additionals,
    transport,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
