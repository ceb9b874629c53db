// Fuzzes the parsing of answers from untrusted DNS servers: whatever the bytes, decodeAnswer returns (with
// records bounded by the message) or throws MalformedDnsMessageError — no other exception, no hang. Short in CI;
// CERTKEEPER_FUZZ_RUNS=200000 for a longer run. The count of inputs tried is printed.
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAnswer } from './decode-answer.js';
import type { DnsQuestion } from './dns-message.js';
import { MalformedDnsMessageError } from './malformed-message-error.js';

const RUNS = Number(process.env.CERTKEEPER_FUZZ_RUNS ?? 3000);
/** Room for a long run: about 1 ms per input on a loaded machine. */
const TIMEOUT_MS = 10_000 + RUNS;
const question: DnsQuestion = {
  name: '_acme-challenge.a.example.test',
  type: 'TXT',
  recursionDesired: false,
};
let tried = 0;

const valid = dnsPacket.encode({
  type: 'response',
  id: 0x4242,
  flags: dnsPacket.AUTHORITATIVE_ANSWER,
  questions: [{ type: 'TXT', name: question.name }],
  answers: [
    { type: 'TXT', name: question.name, ttl: 60, data: ['part-one', 'part-two'] },
    { type: 'CNAME', name: 'x.example.test', ttl: 60, data: 'y.example.test' },
  ],
  authorities: [
    {
      type: 'SOA',
      name: 'example.test',
      ttl: 60,
      data: {
        mname: 'ns1.example.test',
        rname: 'h.example.test',
        serial: 1,
        refresh: 1,
        retry: 1,
        expire: 1,
        minimum: 1,
      },
    },
    { type: 'NS', name: 'example.test', ttl: 60, data: 'ns1.example.test' },
  ],
  additionals: [{ type: 'A', name: 'ns1.example.test', ttl: 60, data: '192.0.2.1' }],
});

/** A valid answer with bytes overwritten, cut short or spliced in: what a hostile or broken server sends. */
const mutated = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.nat(valid.length),
    fc.uint8Array({ maxLength: 64 }),
  )
  .map(([flips, cut, tail]) => {
    const bytes = Buffer.from(valid);
    for (const [at, value] of flips) bytes[at] = value;
    return Buffer.concat([bytes.subarray(0, cut), tail]);
  });

function check(reply: Buffer): void {
  tried++;
  try {
    const answer = decodeAnswer(reply, 0x4242, question);
    // Bounded allocation: every record took at least 11 bytes of the message.
    const records = answer.answers.length + answer.authorities.length + answer.additionals.length;
    expect(records).toBeLessThanOrEqual(Math.ceil(reply.length / 11));
  } catch (error) {
    if (!(error instanceof MalformedDnsMessageError)) throw error;
  }
}

describe('decodeAnswer on untrusted bytes', () => {
  afterAll(() => console.log(`decodeAnswer fuzz: ${tried} inputs tried`));

  it('reads the valid answer', () => {
    expect(decodeAnswer(valid, 0x4242, question).answers[0]).toMatchObject({ data: 'part-onepart-two' });
  });

  it(
    'throws only MalformedDnsMessageError on random bytes',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 1024 }), (bytes) => check(Buffer.from(bytes))),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'throws only MalformedDnsMessageError on mutated answers',
    () => {
      fc.assert(fc.property(mutated, check), { numRuns: RUNS });
    },
    TIMEOUT_MS,
  );

  it('handles a 64 KiB message of compression pointers and labels', () => {
    const pointers = Buffer.alloc(65_535, 0xc0);
    pointers.writeUInt16BE(0x4242, 0);
    pointers.writeUInt16BE(0x8400, 2);
    check(pointers);
    check(Buffer.concat([valid.subarray(0, 12), Buffer.alloc(65_000, 0x3f)]));
  });
});
