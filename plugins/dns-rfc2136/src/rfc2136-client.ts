import {
  formatServerAddress,
  providerFailed,
  providerUnauthorized,
  rcodeName,
  type ServerAddress,
  tcpExchange,
  udpExchange,
} from '@certkeeper/dns';
import dnsPacket from 'dns-packet';
import type { TsigSession, TsigSigner } from './tsig/tsig-signer.js';

export const PROVIDER_NAME = 'rfc2136';

export interface ClientSettings {
  readonly server: ServerAddress;
  readonly protocol: 'udp' | 'tcp';
  readonly timeoutMs: number;
  readonly signer: TsigSigner | undefined;
}

/** One answer, its TSIG signature checked when the request was signed. */
export interface Reply {
  readonly rcode: string;
  readonly packet: dnsPacket.DecodedPacket;
  readonly transport: 'udp' | 'tcp';
  /** Whether the answer carried a TSIG signature that verified (false for unsigned error answers). */
  readonly signed: boolean;
}

/** What a request is for, for messages: "update TXT at _acme-challenge.www.example.test in zone example.test". */
export interface RequestContext {
  readonly operation: string;
  readonly zone: string;
  readonly signal?: AbortSignal;
}

/**
 * Sends TSIG-signed messages to the primary and checks the answers' signatures. UDP answers with the TC bit are
 * asked again over TCP (RFC 2136 §3.8, RFC 7766 §5); `protocol: 'tcp'` skips UDP.
 *
 * Every failure becomes a typed error: no answer → `DNS_PROVIDER_FAILED` (retryable); the server rejecting the
 * key (BADSIG, BADKEY, BADTIME) → `DNS_PROVIDER_UNAUTHORIZED` naming the key, never its secret; an answer whose
 * own signature does not verify → `DNS_PROVIDER_FAILED`, not retryable. Rcodes are left to the caller.
 */
export class Rfc2136Client {
  constructor(private readonly settings: ClientSettings) {}

  get serverText(): string {
    return formatServerAddress(this.settings.server);
  }

  async exchange(message: () => Buffer, context: RequestContext): Promise<Reply> {
    if (this.settings.protocol === 'udp') {
      const reply = await this.once('udp', message(), context);
      // Truncated: ask again over TCP with a fresh id and signature, as RFC 2136 §3.8 allows.
      if (reply) return reply;
    }
    return (await this.once('tcp', message(), context))!;
  }

  /** A zone transfer over TCP, every message verified (RFC 8945 §5.3.1). Resolves with every message. */
  async transfer(message: Buffer, context: RequestContext): Promise<Reply[]> {
    const { signed, session } = this.sign(message);
    let soaSeen = 0;
    const raws = await this.send('tcp', signed, context, (raw) => {
      const packet = dnsPacket.decode(raw);
      if (rcodeOf(raw) !== 'NOERROR') return true;
      soaSeen += packet.answers?.filter((answer) => answer.type === 'SOA').length ?? 0;
      return soaSeen >= 2;
    });
    return raws.map((raw, index) => this.check(raw, session, context, index > 0, 'tcp'));
  }

  /** One signed request and its verified answer; undefined when a UDP answer came back truncated. */
  private async once(transport: 'udp' | 'tcp', message: Buffer, context: RequestContext) {
    const { signed, session } = this.sign(message);
    const [raw] = await this.send(transport, signed, context);
    if (transport === 'udp' && isTruncated(raw!)) return undefined;
    return this.check(raw!, session, context, false, transport);
  }

  private sign(message: Buffer): { signed: Buffer; session: TsigSession | undefined } {
    if (!this.settings.signer) return { signed: message, session: undefined };
    return this.settings.signer.sign(message);
  }

  private async send(
    transport: 'udp' | 'tcp',
    message: Buffer,
    context: RequestContext,
    isLast?: (raw: Buffer) => boolean,
  ): Promise<Buffer[]> {
    const options = {
      timeoutMs: this.settings.timeoutMs,
      ...(context.signal ? { signal: context.signal } : {}),
    };
    try {
      return transport === 'udp'
        ? [await udpExchange(this.settings.server, message, options)]
        : await tcpExchange(this.settings.server, message, options, isLast);
    } catch (error) {
      throw providerFailed(
        PROVIDER_NAME,
        `${context.operation} (${transport.toUpperCase()} to ${this.serverText})`,
        `${error instanceof Error ? error.message : String(error)}; check that the primary listens there and that no firewall drops DNS`,
        { cause: error, retryable: !context.signal?.aborted },
      );
    }
  }

  private check(
    raw: Buffer,
    session: TsigSession | undefined,
    context: RequestContext,
    unsignedAllowed: boolean,
    transport: 'udp' | 'tcp',
  ): Reply {
    const rcode = rcodeOf(raw);
    const packet = decode(raw, context, this.serverText);
    if (!session) return { rcode, packet, transport, signed: false };
    const key = this.settings.signer!.key;
    let verdict: ReturnType<TsigSession['verify']>;
    try {
      verdict = session.verify(raw);
    } catch (error) {
      throw providerFailed(
        PROVIDER_NAME,
        context.operation,
        `${this.serverText} sent an answer whose TSIG record cannot be read (${error instanceof Error ? error.message : error})`,
        { cause: error, retryable: false },
      );
    }
    switch (verdict.status) {
      case 'verified':
        return { rcode, packet, transport, signed: true };
      case 'unsigned':
        // An unsigned error answer carries no data we act on; an unsigned success could be forged.
        if (unsignedAllowed || rcode !== 'NOERROR') return { rcode, packet, transport, signed: false };
        throw providerFailed(
          PROVIDER_NAME,
          context.operation,
          `${this.serverText} answered without a TSIG signature although the request was signed with key "${key.name}"`,
          { retryable: false },
        );
      case 'rejected':
        throw providerUnauthorized(
          PROVIDER_NAME,
          context.zone,
          `${this.serverText} refused TSIG key "${key.name}" (${key.algorithm.name}) with ${verdict.error}${hintFor(verdict.error)}`,
        );
      case 'bad-time':
        throw providerUnauthorized(
          PROVIDER_NAME,
          context.zone,
          `the answer from ${this.serverText} was signed ${Math.abs(verdict.skewSeconds)} s away from our clock (BADTIME); synchronise both clocks (NTP)`,
        );
      case 'bad-mac':
        throw providerFailed(
          PROVIDER_NAME,
          context.operation,
          `the answer from ${this.serverText} does not carry a valid TSIG signature for key "${key.name}"; it did not come from a server holding that key`,
          { retryable: false },
        );
    }
  }
}

function hintFor(error: string): string {
  if (error === 'BADKEY') return ': the server has no key of that name and algorithm';
  if (error === 'BADSIG') return ': the secret differs from the one the server holds';
  if (error === 'BADTIME') return ': the clocks of this machine and the server differ by more than the fudge';
  return '';
}

export function rcodeOf(raw: Buffer): string {
  return rcodeName(raw.readUInt16BE(2));
}

function isTruncated(raw: Buffer): boolean {
  return (raw.readUInt16BE(2) & 0x0200) !== 0;
}

function decode(raw: Buffer, context: RequestContext, server: string): dnsPacket.DecodedPacket {
  try {
    return dnsPacket.decode(raw);
  } catch (error) {
    throw providerFailed(
      PROVIDER_NAME,
      context.operation,
      `${server} sent an answer that cannot be decoded`,
      {
        cause: error,
      },
    );
  }
}
