// Fuzzes TSIG verification of answers from an untrusted primary: splitTsig and TsigSession.verify either give a
// verdict or throw MalformedDnsMessageError — nothing else, no hang — and a changed answer never verifies (but for
// the header id, which RFC 8945 §4.3.1 lets a forwarder rewrite). CERTKEEPER_FUZZ_RUNS=200000 for a longer run.
import { createHmac, randomBytes } from 'node:crypto';
import { MalformedDnsMessageError } from '@certkeeper/dns';
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { splitTsig } from '../wire/message-layout.js';
import { findAlgorithm } from './algorithms.js';
import { encodeTsigRecord, tsigVariables, uint16 } from './tsig-record.js';
import { TsigSigner } from './tsig-signer.js';

const RUNS = Number(process.env.CERTKEEPER_FUZZ_RUNS ?? 3000);
/** Room for a long run: about 1 ms per input on a loaded machine. */
const TIMEOUT_MS = 10_000 + RUNS;
const secret = randomBytes(32);
const now = 1_750_000_000;
const key = { name: 'ck-key', algorithm: findAlgorithm('hmac-sha256')!, secret };
let tried = 0;

const query = dnsPacket.encode({
  type: 'query',
  id: 0x1234,
  flags: 0,
  questions: [{ type: 'SOA', name: 'example.test' }],
});

/** A correctly signed answer to `requestMac` (what BIND sends). */
function signedAnswer(requestMac: Buffer): Buffer {
  const answer = dnsPacket.encode({
    type: 'response',
    id: 0x1234,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ type: 'SOA', name: 'example.test' }],
    answers: [{ type: 'TXT', name: 'a.example.test', ttl: 60, data: 'value' }],
  });
  const fields = {
    keyName: 'ck-key',
    algorithm: 'hmac-sha256',
    timeSigned: now,
    fudge: 300,
    error: 0,
    otherData: Buffer.alloc(0),
  };
  const mac = createHmac('sha256', secret)
    .update(Buffer.concat([uint16(requestMac.length), requestMac, answer, tsigVariables(fields)]))
    .digest();
  const signed = Buffer.concat([answer, encodeTsigRecord({ ...fields, mac, originalId: 0x1234 })]);
  signed.writeUInt16BE(1, 10);
  return signed;
}

function verifyFresh(message: Buffer): string {
  tried++;
  const { signed, session } = new TsigSigner(key, { now: () => now }).sign(query);
  void signed;
  try {
    return session.verify(message).status;
  } catch (error) {
    if (error instanceof MalformedDnsMessageError) return 'malformed';
    throw error;
  }
}

describe('TSIG verification of untrusted answers', () => {
  const signer = new TsigSigner(key, { now: () => now });
  const { signed } = signer.sign(query);
  const requestMac = splitTsig(signed).tsig!.mac;
  // Every signer signs the same query at the same time with the same key, so its MAC is this one.
  const good = signedAnswer(requestMac);

  afterAll(() => console.log(`TSIG fuzz: ${tried} inputs tried`));

  it('verifies the unchanged answer', () => {
    expect(verifyFresh(good)).toBe('verified');
  });

  it('does not verify an answer whose TSIG class or TTL was changed (they are outside the MAC)', () => {
    // The fuzz run's counterexample (byte 72 set to 1): the TSIG record's TTL, which the MAC digests as 0.
    const tsigType = good.lastIndexOf(Buffer.from([0x00, 0xfa, 0x00, 0xff]));
    expect(tsigType).toBeGreaterThan(12);
    for (const at of [tsigType + 3, tsigType + 7]) {
      const changed = Buffer.from(good);
      changed[at] = (changed[at]! + 1) & 0xff;
      expect(verifyFresh(changed)).toBe('malformed');
    }
  });

  it(
    'gives a verdict or MalformedDnsMessageError on random bytes, never "verified"',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 1024 }), (bytes) => {
          expect(verifyFresh(Buffer.from(bytes))).not.toBe('verified');
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'never verifies a changed answer (the header id aside), and never throws anything else',
    () => {
      const mutation = fc.tuple(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.nat(good.length),
        fc.uint8Array({ maxLength: 32 }),
      );
      fc.assert(
        fc.property(mutation, ([flips, cut, tail]) => {
          const bytes = Buffer.from(good);
          for (const [at, value] of flips) bytes[at] = value;
          const message = Buffer.concat([bytes.subarray(0, cut), tail]);
          const status = verifyFresh(message);
          const changed = !message.subarray(2).equals(good.subarray(2));
          if (changed) expect(status).not.toBe('verified');
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});
