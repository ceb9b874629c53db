import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressed, negotiate, sendRepresentation } from './representation.js';

describe('negotiate', () => {
  it('prefers brotli, then gzip, and honours q=0', () => {
    expect(negotiate('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiate('gzip;q=0.5, br;q=0')).toBe('gzip');
    expect(negotiate('identity')).toBe('identity');
    expect(negotiate(undefined)).toBe('identity');
    expect(negotiate('*')).toBe('br');
  });
});

describe('sendRepresentation', () => {
  function send(headers: Record<string, string>) {
    const written: { status?: number; headers?: Record<string, unknown>; body?: Buffer } = {};
    const response = {
      writeHead(status: number, h: Record<string, unknown>) {
        written.status = status;
        written.headers = h;
        return this;
      },
      end(body?: Buffer) {
        written.body = body;
      },
    } as unknown as ServerResponse;
    const representations = compressed(Buffer.from('{"a":1}'.repeat(100)), 'digest1', 'application/json');
    sendRepresentation({ method: 'GET', headers } as IncomingMessage, response, representations, 'no-cache');
    return written;
  }

  it('sends the encoding asked for with an ETag per encoding, and 304 when the client has it', () => {
    const gzip = send({ 'accept-encoding': 'gzip' });
    expect(gzip.status).toBe(200);
    expect(gzip.headers).toMatchObject({
      etag: '"digest1-gzip"',
      'content-encoding': 'gzip',
      vary: 'Accept-Encoding',
    });
    expect(gunzipSync(gzip.body!).toString()).toBe('{"a":1}'.repeat(100));
    expect(send({}).headers).toMatchObject({ etag: '"digest1"' });
    expect(send({ 'accept-encoding': 'br', 'if-none-match': '"digest1-br"' }).status).toBe(304);
    expect(send({ 'accept-encoding': 'br', 'if-none-match': '"digest1-gzip"' }).status).toBe(200);
  });
});
