import { encodeName } from '../wire/wire-name.js';

/** RR type and class numbers used in TSIG records (RFC 8945 §4.2). */
export const TYPE_TSIG = 250;
export const CLASS_ANY = 255;

/** TSIG error codes (RFC 8945 §5.2 and the IANA registry) carried in the TSIG RR's Error field. */
export const TSIG_ERRORS: Readonly<Record<number, string>> = {
  16: 'BADSIG',
  17: 'BADKEY',
  18: 'BADTIME',
  22: 'BADTRUNC',
};

/** The fields of a TSIG RR's RDATA (RFC 8945 §4.2). */
export interface TsigFields {
  readonly keyName: string;
  readonly algorithm: string;
  /** Seconds since the epoch (48 bits). */
  readonly timeSigned: number;
  readonly fudge: number;
  readonly mac: Buffer;
  readonly originalId: number;
  readonly error: number;
  readonly otherData: Buffer;
}

/** The complete TSIG resource record as appended to the additional section. */
export function encodeTsigRecord(fields: TsigFields): Buffer {
  const rdata = Buffer.concat([
    encodeName(fields.algorithm),
    uint48(fields.timeSigned),
    uint16(fields.fudge),
    uint16(fields.mac.length),
    fields.mac,
    uint16(fields.originalId),
    uint16(fields.error),
    uint16(fields.otherData.length),
    fields.otherData,
  ]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE_TSIG, 0);
  fixed.writeUInt16BE(CLASS_ANY, 2);
  fixed.writeUInt32BE(0, 4); // TTL 0 (RFC 8945 §4.2)
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(fields.keyName), fixed, rdata]);
}

/**
 * The TSIG variables that follow the message in the MAC input (RFC 8945 §4.3.3). `timersOnly` gives the
 * shorter form used for the second and later messages of a multi-message answer such as AXFR (§5.3.1).
 */
export function tsigVariables(fields: Omit<TsigFields, 'mac' | 'originalId'>, timersOnly = false): Buffer {
  const timers = Buffer.concat([uint48(fields.timeSigned), uint16(fields.fudge)]);
  if (timersOnly) return timers;
  const classTtl = Buffer.alloc(6);
  classTtl.writeUInt16BE(CLASS_ANY, 0);
  classTtl.writeUInt32BE(0, 2);
  return Buffer.concat([
    encodeName(fields.keyName),
    classTtl,
    encodeName(fields.algorithm),
    timers,
    uint16(fields.error),
    uint16(fields.otherData.length),
    fields.otherData,
  ]);
}

export function uint16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value & 0xffff, 0);
  return buffer;
}

function uint48(value: number): Buffer {
  const buffer = Buffer.alloc(6);
  buffer.writeUIntBE(value, 0, 6);
  return buffer;
}
