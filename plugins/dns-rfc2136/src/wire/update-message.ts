import { randomInt } from 'node:crypto';
import { encodeName } from './wire-name.js';

const OPCODE_UPDATE = 5;
const TYPE_SOA = 6;
const TYPE_TXT = 16;
const CLASS_IN = 1;
/** RFC 2136 §2.5.4: class NONE in the update section deletes one RR from an RRset. */
const CLASS_NONE = 254;

/** One TXT change of an UPDATE message. */
export interface TxtUpdate {
  readonly action: 'add' | 'delete';
  /** Fully qualified, no trailing dot. */
  readonly fqdn: string;
  readonly value: string;
  readonly ttl: number;
}

/**
 * Encodes an RFC 2136 UPDATE message for `zone` with TXT adds ("Add To An RRset", §2.5.1) and exact deletes
 * ("Delete An RR From An RRset", §2.5.4). Neither touches other values at the name, and both are idempotent on the
 * server (§3.4.2.2, §3.4.2.4), which is what the provider port asks of create and delete.
 *
 * Written by hand because dns-packet 5 cannot encode class NONE (254) or the UPDATE section semantics; queries
 * and answers still go through dns-packet.
 */
export function encodeUpdate(zone: string, updates: readonly TxtUpdate[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(randomInt(0, 0x10000), 0);
  header.writeUInt16BE(OPCODE_UPDATE << 11, 2);
  header.writeUInt16BE(1, 4); // ZOCOUNT
  header.writeUInt16BE(0, 6); // PRCOUNT: no prerequisites
  header.writeUInt16BE(updates.length, 8); // UPCOUNT
  header.writeUInt16BE(0, 10); // ADCOUNT (TSIG is appended by the signer)
  const zoneSection = Buffer.concat([encodeName(zone), uint16Pair(TYPE_SOA, CLASS_IN)]);
  return Buffer.concat([header, zoneSection, ...updates.map(encodeTxtUpdate)]);
}

function encodeTxtUpdate(update: TxtUpdate): Buffer {
  const text = Buffer.from(update.value, 'utf8');
  // One character-string per record: several values are several records, never several strings in one.
  const rdata = Buffer.concat([Buffer.from([text.length]), text]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE_TXT, 0);
  fixed.writeUInt16BE(update.action === 'add' ? CLASS_IN : CLASS_NONE, 2);
  // §2.5.4: TTL must be zero on a delete.
  fixed.writeUInt32BE(update.action === 'add' ? update.ttl : 0, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(update.fqdn), fixed, rdata]);
}

function uint16Pair(a: number, b: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt16BE(a, 0);
  buffer.writeUInt16BE(b, 2);
  return buffer;
}
