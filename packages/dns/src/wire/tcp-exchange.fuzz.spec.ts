// Fuzzes the TCP framing of answers from an untrusted server (RFC 1035 §4.2.2 length prefixes, RFC 7766): a
// local server answers our query with arbitrary bytes, cut into arbitrary chunks, sometimes around a well-formed
// frame. tcpExchange must settle — resolve with whole frames or reject with an Error — before its deadline, never
// throw from a socket event, and never buffer past maxBytes. CERTKEEPER_FUZZ_RUNS scales it (a twentieth of the
// runs of the in-memory fuzzers: each input is a real connection).
import { createServer, type Server, type Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpExchange } from './message-exchange.js';

const RUNS = Math.max(20, Math.floor(Number(process.env.CERTKEEPER_FUZZ_RUNS ?? 3000) / 20));
const MAX_BYTES = 4096;
const TIMEOUT_MS = 150;
let tried = 0;

/** What the server does with the next connection: write these chunks, then end or hold the connection open. */
let script: { chunks: Buffer[]; end: boolean } = { chunks: [], end: true };
let server: Server;
let port = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const { chunks, end } = script;
    socket.once('data', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (end) socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  console.log(`tcpExchange fuzz: ${tried} connections tried`);
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const query = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);

/** A frame answering our id: a length prefix and a message body of random bytes after a 12-byte header. */
const frame = fc.uint8Array({ minLength: 0, maxLength: 200 }).map((body) => {
  const message = Buffer.concat([Buffer.from([0xab, 0xcd, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]), body]);
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
});

const stream = fc
  .tuple(
    fc.array(
      fc.oneof(
        frame,
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      ),
      { maxLength: 40 },
    ),
    fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 }),
    fc.boolean(),
  )
  .map(([parts, cuts, end]) => {
    const bytes = Buffer.concat(parts);
    const chunks: Buffer[] = [];
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const size = cuts[i % cuts.length]!;
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    return { chunks, end, total: bytes.length };
  });

describe('tcpExchange on an untrusted server', () => {
  it(
    'settles before its deadline with whole frames or an Error, and never buffers past maxBytes',
    async () => {
      await fc.assert(
        fc.asyncProperty(stream, async ({ chunks, end, total }) => {
          tried++;
          script = { chunks, end };
          const started = performance.now();
          const outcome = await tcpExchange(
            { host: '127.0.0.1', port },
            query,
            { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES },
            // As the RFC 2136 plugin's zone transfer does: decode each message to see if it is the last (which
            // throws on garbage, inside the socket's data event). Half the runs read one answer, half a
            // multi-message one that never says it is done.
            (reply) => {
              dnsPacket.decode(reply);
              return end;
            },
          ).then(
            (replies) => ({ replies }),
            (error: unknown) => ({ error }),
          );
          // Settles by the deadline (plus scheduling slack on a loaded machine): no hang.
          expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
          if ('error' in outcome) expect(outcome.error).toBeInstanceOf(Error);
          else for (const reply of outcome.replies) expect(reply.readUInt16BE(0)).toBe(0xabcd);
          if (total > MAX_BYTES && 'error' in outcome)
            expect(String(outcome.error)).toMatch(/more than|closed|time|TCP/);
        }),
        { numRuns: RUNS },
      );
    },
    30_000 + RUNS * (TIMEOUT_MS + 50),
  );
});
