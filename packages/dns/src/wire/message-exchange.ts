import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import type { ServerAddress } from './server-address.js';

export interface ExchangeOptions {
  /** Time limit for the whole exchange. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Most bytes a multi-message TCP answer may bring (a zone transfer); default 16 MiB. */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_TCP_BYTES = 16 * 1024 * 1024;

/**
 * Sends one message over UDP and resolves with the first datagram answering its id. Stray datagrams are
 * ignored until the deadline (a spoofer must also guess the id and, with TSIG, the MAC).
 */
export function udpExchange(
  server: ServerAddress,
  message: Buffer,
  options: ExchangeOptions,
): Promise<Buffer> {
  const id = message.readUInt16BE(0);
  return withDeadline(options, `no UDP answer within ${options.timeoutMs} ms`, (settle) => {
    const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    socket.on('error', settle.reject);
    socket.on('message', (reply) => {
      if (reply.length >= 12 && reply.readUInt16BE(0) === id && (reply[2]! & 0x80) !== 0)
        settle.resolve(reply);
    });
    socket.send(message, server.port, server.host, (error) => {
      if (error) settle.reject(error);
    });
    return () => socket.close();
  });
}

/**
 * Sends one message over TCP (RFC 1035 §4.2.2 length prefix, RFC 7766) and collects answers with its id until
 * `isLast` says the answer is complete (one message for UPDATE and queries, several for AXFR).
 */
export function tcpExchange(
  server: ServerAddress,
  message: Buffer,
  options: ExchangeOptions,
  isLast: (reply: Buffer) => boolean = () => true,
): Promise<Buffer[]> {
  const id = message.readUInt16BE(0);
  return withDeadline(options, `no complete TCP answer within ${options.timeoutMs} ms`, (settle) => {
    const replies: Buffer[] = [];
    const socket = connect({ host: server.host, port: server.port });
    let buffered = Buffer.alloc(0);
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(message.length, 0);
    socket.on('error', settle.reject);
    socket.on('connect', () => socket.write(Buffer.concat([prefix, message])));
    let received = 0;
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_TCP_BYTES;
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (received > maxBytes) {
        settle.reject(new Error(`the server sent more than ${maxBytes} bytes over TCP`));
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const reply = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + reply.length);
        if (reply.length < 12 || reply.readUInt16BE(0) !== id) {
          settle.reject(new Error('the server sent a TCP message that does not answer our request'));
          return;
        }
        replies.push(Buffer.from(reply));
        let last: boolean;
        try {
          last = isLast(reply);
        } catch (error) {
          // Thrown inside a socket event it would crash the process: a hostile message ends the exchange instead.
          settle.reject(error);
          return;
        }
        if (last) {
          settle.resolve(replies);
          return;
        }
      }
    });
    socket.on('end', () =>
      settle.reject(new Error('the server closed the TCP connection before the answer was complete')),
    );
    return () => socket.destroy();
  });
}

interface Settle<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Runs `start` until it settles, times out or the signal aborts; always runs its cleanup. */
function withDeadline<T>(
  options: ExchangeOptions,
  timeoutMessage: string,
  start: (settle: Settle<T>) => () => void,
): Promise<T> {
  const { signal } = options;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let cleanup: () => void = () => {};
    const finish = (action: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cleanup();
      action();
    };
    const onAbort = () => finish(() => reject(signal?.reason ?? new Error('aborted')));
    const timer = setTimeout(() => finish(() => reject(new Error(timeoutMessage))), options.timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanup = start({
      resolve: (value) => finish(() => resolve(value)),
      reject: (error) => finish(() => reject(error)),
    });
    if (done) cleanup();
  });
}
