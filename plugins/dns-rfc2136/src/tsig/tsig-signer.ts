import { createHmac, timingSafeEqual } from 'node:crypto';
import { splitTsig } from '../wire/message-layout.js';
import type { AlgorithmInfo } from './algorithms.js';
import { encodeTsigRecord, TSIG_ERRORS, type TsigFields, tsigVariables, uint16 } from './tsig-record.js';

/** A parsed, validated TSIG key. The secret stays in this object and never reaches a message or a log. */
export interface TsigKeyMaterial {
  readonly name: string;
  readonly algorithm: AlgorithmInfo;
  readonly secret: Buffer;
}

export interface TsigSignerOptions {
  /** Allowed clock difference in seconds (RFC 8945 §5.2.3 recommends 300). */
  readonly fudgeSeconds?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** How a received message fared against the key. */
export type TsigCheck =
  | { readonly status: 'verified' }
  /** No TSIG RR. Allowed only inside a multi-message answer, or on an error answer we do not trust anyway. */
  | { readonly status: 'unsigned' }
  /** The server could not verify our request (its TSIG Error field, RFC 8945 §5.3.2). */
  | { readonly status: 'rejected'; readonly error: string }
  /** The server's MAC does not match: the answer was not made with our key (spoofed, or a different secret). */
  | { readonly status: 'bad-mac' }
  /** Our clock and the server's differ by more than the fudge. */
  | { readonly status: 'bad-time'; readonly skewSeconds: number };

/**
 * Signs requests with TSIG (RFC 8945 §4.3) and returns a session that verifies the answers to that request,
 * including every message of a multi-message answer such as AXFR (§5.3.1).
 */
export class TsigSigner {
  private readonly fudge: number;
  private readonly now: () => number;

  constructor(
    readonly key: TsigKeyMaterial,
    options: TsigSignerOptions = {},
  ) {
    this.fudge = options.fudgeSeconds ?? 300;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** Appends a TSIG RR to `message` (which must not carry one yet) and bumps ARCOUNT. */
  sign(message: Buffer): { signed: Buffer; session: TsigSession } {
    const fields = {
      keyName: this.key.name,
      algorithm: this.key.algorithm.wireName,
      timeSigned: this.now(),
      fudge: this.fudge,
      error: 0,
      otherData: Buffer.alloc(0),
    };
    const mac = this.hmac([message, tsigVariables(fields)]);
    const record = encodeTsigRecord({ ...fields, mac, originalId: message.readUInt16BE(0) });
    const signed = Buffer.concat([message, record]);
    signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
    return { signed, session: new TsigSession(this, mac) };
  }

  /** @internal HMAC over the given parts with this key. */
  hmac(parts: readonly Buffer[]): Buffer {
    const hmac = createHmac(this.key.algorithm.digest, this.key.secret);
    for (const part of parts) hmac.update(part);
    return hmac.digest();
  }

  /** @internal Seconds between our clock and `timeSigned`, when larger than `fudge`; else 0. */
  skew(timeSigned: number, fudge: number): number {
    const difference = this.now() - timeSigned;
    return Math.abs(difference) > fudge ? difference : 0;
  }
}

/** Verifies the answer(s) to one signed request; each verified MAC becomes the "prior MAC" of the next. */
export class TsigSession {
  private pending: Buffer[] = [];
  private first = true;

  constructor(
    private readonly signer: TsigSigner,
    private priorMac: Buffer,
  ) {}

  verify(message: Buffer): TsigCheck {
    const { unsigned, tsig } = splitTsig(message);
    if (!tsig) {
      // RFC 8945 §5.3.1: up to 99 unsigned messages may sit between signed ones; they count in the next MAC.
      this.pending.push(unsigned);
      return { status: 'unsigned' };
    }
    if (tsig.error !== 0 && tsig.mac.length === 0) {
      return { status: 'rejected', error: TSIG_ERRORS[tsig.error] ?? `TSIG error ${tsig.error}` };
    }
    if (tsig.keyName !== this.signer.key.name.toLowerCase().replace(/\.$/, '')) return { status: 'bad-mac' };
    const variables = tsigVariables(tsig as TsigFields, !this.first);
    const expected = this.signer.hmac([
      uint16(this.priorMac.length),
      this.priorMac,
      ...this.pending,
      unsigned,
      variables,
    ]);
    if (!macMatches(tsig.mac, expected)) return { status: 'bad-mac' };
    this.priorMac = tsig.mac;
    this.pending = [];
    this.first = false;
    if (tsig.error !== 0)
      return { status: 'rejected', error: TSIG_ERRORS[tsig.error] ?? `TSIG error ${tsig.error}` };
    const skew = this.signer.skew(tsig.timeSigned, tsig.fudge);
    if (skew !== 0) return { status: 'bad-time', skewSeconds: skew };
    return { status: 'verified' };
  }
}

/**
 * Constant-time comparison that accepts a truncated MAC (RFC 8945 §5.2.2.1: at least 10 octets and at least
 * half the hash length).
 */
function macMatches(received: Buffer, expected: Buffer): boolean {
  const minimum = Math.max(10, Math.ceil(expected.length / 2));
  if (received.length < minimum || received.length > expected.length) return false;
  return timingSafeEqual(received, expected.subarray(0, received.length));
}
