import { MalformedDnsMessageError } from '@certkeeper/dns';
import { CLASS_ANY, type TsigFields, TYPE_TSIG } from '../tsig/tsig-record.js';

/** Where a received message's TSIG record sits, and what it says. */
export interface SignedMessage {
  /** The message without its TSIG RR, ARCOUNT decremented and the ID restored: the MAC input (RFC 8945 §5.3). */
  readonly unsigned: Buffer;
  /** The TSIG RR, when the last additional record is one. */
  readonly tsig?: TsigFields;
}

/**
 * Splits a DNS message into its body and its trailing TSIG record. dns-packet decodes TSIG RDATA only as raw
 * bytes and gives no offsets, and the MAC must be computed over the exact received bytes, so this walks the
 * sections itself (names may be compressed; a pointer ends a name).
 *
 * Every read is bounds-checked: the message comes from the network (a fuzz test feeds it garbage).
 *
 * @throws MalformedDnsMessageError when the message is truncated or malformed; nothing else.
 */
export function splitTsig(message: Buffer): SignedMessage {
  if (message.length < 12) throw malformed('message shorter than a DNS header');
  const counts = [4, 6, 8, 10].map((offset) => message.readUInt16BE(offset)) as [
    number,
    number,
    number,
    number,
  ];
  const [qd, an, ns, ar] = counts;
  let offset = 12;
  for (let i = 0; i < qd; i++) offset = skipName(message, offset) + 4;
  for (let i = 0; i < an + ns + ar - 1; i++) offset = skipRecord(message, offset);
  if (ar === 0) return { unsigned: message };
  const lastStart = offset;
  const nameEnd = skipName(message, lastStart);
  if (nameEnd + 10 > message.length || message.readUInt16BE(nameEnd) !== TYPE_TSIG)
    return { unsigned: message };
  // CLASS and TTL are not in the bytes the MAC covers (RFC 8945 §4.3.3 digests them as ANY and 0): a record carrying
  // anything else was changed on the way, and cannot count as verified (found by the fuzz test).
  if (message.readUInt16BE(nameEnd + 2) !== CLASS_ANY || message.readUInt32BE(nameEnd + 4) !== 0)
    throw malformed('TSIG record with a class other than ANY or a TTL other than 0 (RFC 8945 §4.2)');
  const rdataStart = nameEnd + 10;
  const rdataEnd = rdataStart + message.readUInt16BE(nameEnd + 8);
  if (rdataEnd > message.length) throw malformed('TSIG record runs past the end of the message');
  // The TSIG RR is the last thing in a message (RFC 8945 §4.2); bytes after it are not covered by the MAC, so a
  // message carrying them cannot count as verified (found by the fuzz test).
  if (rdataEnd < message.length) throw malformed('bytes follow the TSIG record, which must end the message');
  const tsig = parseTsigRdata(message.subarray(0, rdataEnd), rdataStart, readName(message, lastStart));
  const unsigned = Buffer.from(message.subarray(0, lastStart));
  unsigned.writeUInt16BE(ar - 1, 10);
  // RFC 8945 §4.3.1: the MAC covers the message with its original ID, which a forwarder may have changed.
  unsigned.writeUInt16BE(tsig.originalId, 0);
  return { unsigned, tsig };
}

/** `message` ends where the TSIG RDATA ends, so a field running past the RDATA is caught as past the end. */
function parseTsigRdata(message: Buffer, start: number, keyName: string): TsigFields {
  let offset = start;
  const algorithm = readName(message, offset);
  offset = skipName(message, offset);
  need(message, offset, 10, 'TSIG time, fudge and MAC size');
  const timeSigned = message.readUIntBE(offset, 6);
  const fudge = message.readUInt16BE(offset + 6);
  const macSize = message.readUInt16BE(offset + 8);
  offset += 10;
  need(message, offset, macSize + 6, 'TSIG MAC, original id, error and other length');
  const mac = Buffer.from(message.subarray(offset, offset + macSize));
  offset += macSize;
  const originalId = message.readUInt16BE(offset);
  const error = message.readUInt16BE(offset + 2);
  const otherLength = message.readUInt16BE(offset + 4);
  need(message, offset + 6, otherLength, 'TSIG other data');
  const otherData = Buffer.from(message.subarray(offset + 6, offset + 6 + otherLength));
  return { keyName, algorithm, timeSigned, fudge, mac, originalId, error, otherData };
}

function skipRecord(message: Buffer, offset: number): number {
  const nameEnd = skipName(message, offset);
  if (nameEnd + 10 > message.length)
    throw malformed('resource record header runs past the end of the message');
  return nameEnd + 10 + message.readUInt16BE(nameEnd + 8);
}

function skipName(message: Buffer, start: number): number {
  let offset = start;
  for (;;) {
    if (offset >= message.length) throw malformed('name runs past the end of the message');
    const length = message[offset]!;
    if (length === 0) return offset + 1;
    if ((length & 0xc0) === 0xc0) return offset + 2;
    if ((length & 0xc0) !== 0) throw malformed('name has a label type that is not defined');
    offset += length + 1;
  }
}

function readName(message: Buffer, start: number): string {
  const labels: string[] = [];
  let offset = start;
  for (let hops = 0; hops < 64; hops++) {
    const length = message[offset];
    if (length === undefined) throw malformed('name runs past the end of the message');
    if (length === 0) return labels.join('.').toLowerCase();
    if ((length & 0xc0) === 0xc0) {
      need(message, offset, 2, 'compression pointer');
      offset = message.readUInt16BE(offset) & 0x3fff;
      continue;
    }
    if ((length & 0xc0) !== 0) throw malformed('name has a label type that is not defined');
    need(message, offset + 1, length, 'label');
    labels.push(message.toString('latin1', offset + 1, offset + 1 + length));
    offset += length + 1;
  }
  throw malformed('name has too many labels or a compression loop');
}

function need(message: Buffer, offset: number, length: number, what: string): void {
  if (offset + length > message.length) throw malformed(`${what} runs past the end of the message`);
}

function malformed(reason: string): MalformedDnsMessageError {
  return new MalformedDnsMessageError(reason);
}
