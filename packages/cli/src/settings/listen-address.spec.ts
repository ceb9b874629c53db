import { describe, expect, it } from 'vitest';
import { formatListenAddress, parseListenAddress } from './listen-address.js';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    ['[::1]:80', { host: '::1', port: 80 }],
    [':80', { port: 80 }],
    ['8080', { port: 8080 }],
    [443, { port: 443 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ])('reads %s', (input, expected) => {
    expect(parseListenAddress(input)).toEqual(expected);
  });

  it.each(['', 'localhost', '1.2.3.4:', ':99999', '::1:80', 'host:port'])('refuses %j', (input) => {
    expect(parseListenAddress(input)).toBeUndefined();
  });

  it('formats IPv6 hosts in brackets', () => {
    expect(formatListenAddress({ host: '::1', port: 80 })).toBe('[::1]:80');
    expect(formatListenAddress({ port: 80 })).toBe(':80');
  });
});
