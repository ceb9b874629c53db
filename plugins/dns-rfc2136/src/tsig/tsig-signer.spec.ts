import { createHmac, randomBytes } from 'node:crypto';
import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { splitTsig } from '../wire/message-layout.js';
import { findAlgorithm } from './algorithms.js';
import { encodeTsigRecord, type TsigFields, tsigVariables, uint16 } from './tsig-record.js';
import { TsigSigner } from './tsig-signer.js';

const secret = randomBytes(32);
const key = { name: 'ck-key', algorithm: findAlgorithm('hmac-sha256')!, secret };
const now = 1_750_000_000;

function query(id = 0x1234): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: 0,
    questions: [{ type: 'TXT', name: 'a.example.test' }],
  });
}

/** What a server does (RFC 8945 §5.3): sign its answer over the request MAC, the answer and the variables. */
function serverSign(
  answer: Buffer,
  priorMac: Buffer,
  options: { time?: number; error?: number; timersOnly?: boolean; withKey?: Buffer; pending?: Buffer[] } = {},
): Buffer {
  const fields = {
    keyName: 'ck-key',
    algorithm: 'hmac-sha256',
    timeSigned: options.time ?? now,
    fudge: 300,
    error: options.error ?? 0,
    otherData: Buffer.alloc(0),
  };
  const mac = createHmac('sha256', options.withKey ?? secret)
    .update(
      Buffer.concat([
        uint16(priorMac.length),
        priorMac,
        ...(options.pending ?? []),
        answer,
        tsigVariables(fields, options.timersOnly),
      ]),
    )
    .digest();
  const signed = Buffer.concat([
    answer,
    encodeTsigRecord({ ...fields, mac, originalId: answer.readUInt16BE(0) }),
  ]);
  signed.writeUInt16BE(answer.readUInt16BE(10) + 1, 10);
  return signed;
}

function response(id = 0x1234, value = 'v'): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ type: 'TXT', name: 'a.example.test' }],
    answers: [{ type: 'TXT', name: 'a.example.test', ttl: 60, data: value }],
  });
}

describe('TsigSigner', () => {
  it('appends a TSIG RR whose MAC covers the message and the TSIG variables (RFC 8945 §4.3)', () => {
    const message = query();
    const { signed } = new TsigSigner(key, { now: () => now }).sign(message);
    expect(signed.readUInt16BE(10)).toBe(1); // ARCOUNT now counts the TSIG RR
    const { unsigned, tsig } = splitTsig(signed);
    expect(unsigned.equals(message)).toBe(true);
    expect(tsig).toMatchObject({
      keyName: 'ck-key',
      algorithm: 'hmac-sha256',
      timeSigned: now,
      fudge: 300,
      error: 0,
      originalId: 0x1234,
    });
    const expected = createHmac('sha256', secret)
      .update(Buffer.concat([message, tsigVariables(tsig as TsigFields)]))
      .digest();
    expect(tsig!.mac.equals(expected)).toBe(true);
    // dns-packet still decodes the signed message (the TSIG RR is well-formed).
    expect(dnsPacket.decode(signed).additionals?.[0]?.type).toBe('TSIG');
  });

  it('verifies an answer signed over the request MAC, and refuses a tampered one', () => {
    const { signed, session } = new TsigSigner(key, { now: () => now }).sign(query());
    const requestMac = splitTsig(signed).tsig!.mac;
    expect(session.verify(serverSign(response(), requestMac)).status).toBe('verified');

    const { signed: again, session: second } = new TsigSigner(key, { now: () => now }).sign(query());
    const tampered = serverSign(response(), splitTsig(again).tsig!.mac);
    tampered[tampered.indexOf('v', 40)] = 'w'.charCodeAt(0);
    expect(second.verify(tampered).status).toBe('bad-mac');
  });

  it('refuses an answer made with another secret or over another request', () => {
    const signer = new TsigSigner(key, { now: () => now });
    const first = signer.sign(query());
    const other = signer.sign(query(0x4321));
    expect(
      first.session.verify(
        serverSign(response(), splitTsig(first.signed).tsig!.mac, { withKey: randomBytes(32) }),
      ).status,
    ).toBe('bad-mac');
    expect(first.session.verify(serverSign(response(), splitTsig(other.signed).tsig!.mac)).status).toBe(
      'bad-mac',
    );
  });

  it('reports the server’s BADSIG/BADKEY (unsigned TSIG with an error) and clock skew', () => {
    const signer = new TsigSigner(key, { now: () => now });
    const { session } = signer.sign(query());
    const answer = response();
    const rejected = Buffer.concat([
      answer,
      encodeTsigRecord({
        keyName: 'ck-key',
        algorithm: 'hmac-sha256',
        timeSigned: now,
        fudge: 300,
        mac: Buffer.alloc(0),
        originalId: 0x1234,
        error: 16,
        otherData: Buffer.alloc(0),
      }),
    ]);
    rejected.writeUInt16BE(1, 10);
    expect(session.verify(rejected)).toEqual({ status: 'rejected', error: 'BADSIG' });

    const late = signer.sign(query());
    const skewed = serverSign(response(), splitTsig(late.signed).tsig!.mac, { time: now - 900 });
    expect(late.session.verify(skewed)).toEqual({ status: 'bad-time', skewSeconds: 900 });
  });

  it('chains the MACs of a multi-message answer (AXFR), unsigned messages included (§5.3.1)', () => {
    const { signed, session } = new TsigSigner(key, { now: () => now }).sign(query());
    const first = serverSign(response(0x1234, 'one'), splitTsig(signed).tsig!.mac);
    expect(session.verify(first).status).toBe('verified');
    const middle = response(0x1234, 'two');
    expect(session.verify(middle).status).toBe('unsigned');
    const last = serverSign(response(0x1234, 'three'), splitTsig(first).tsig!.mac, {
      timersOnly: true,
      pending: [middle],
    });
    expect(session.verify(last).status).toBe('verified');
  });

  it('accepts a MAC truncated to at least half the hash (§5.2.2.1) and rejects a shorter one', () => {
    const { signed, session } = new TsigSigner(key, { now: () => now }).sign(query());
    const full = serverSign(response(), splitTsig(signed).tsig!.mac);
    const parsed = splitTsig(full);
    const truncate = (size: number) => {
      const record = encodeTsigRecord({ ...parsed.tsig!, mac: parsed.tsig!.mac.subarray(0, size) });
      const message = Buffer.concat([parsed.unsigned, record]);
      message.writeUInt16BE(1, 10);
      return message;
    };
    expect(session.verify(truncate(16)).status).toBe('verified');
    const { signed: again, session: second } = new TsigSigner(key, { now: () => now }).sign(query());
    const short = serverSign(response(), splitTsig(again).tsig!.mac);
    const shortParsed = splitTsig(short);
    const tooShort = Buffer.concat([
      shortParsed.unsigned,
      encodeTsigRecord({ ...shortParsed.tsig!, mac: shortParsed.tsig!.mac.subarray(0, 8) }),
    ]);
    tooShort.writeUInt16BE(1, 10);
    expect(second.verify(tooShort).status).toBe('bad-mac');
  });
});
