import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type StaticDnsServer, startStaticDnsServer } from '../__fixtures__/static-dns-server.js';
import type { QueryStats } from './dns-message.js';
import { formatServerAddress, parseServerAddress } from './server-address.js';
import { WireDnsTransport } from './wire-transport.js';

const servers: StaticDnsServer[] = [];
async function server(options: Parameters<typeof startStaticDnsServer>[0]) {
  const started = await startStaticDnsServer(options);
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((started) => started.close()));
});

const zone = 'example.test';
const name = '_acme-challenge.example.test';

describe('WireDnsTransport', () => {
  it('sends a non-recursive UDP query and returns every TXT value as its own record', async () => {
    const dns = await server({
      zones: [zone],
      records: [
        { name, type: 'TXT', data: 'value-one' },
        { name, type: 'TXT', data: 'value-two' },
      ],
    });
    const stats: QueryStats = { queries: 0 };
    const response = await new WireDnsTransport().query(
      dns.address,
      { name, type: 'TXT', recursionDesired: false },
      { stats },
    );
    expect(response.rcode).toBe('NOERROR');
    expect(response.authoritative).toBe(true);
    expect(response.transport).toBe('udp');
    expect(response.answers.map((record) => record.data).sort()).toEqual(['value-one', 'value-two']);
    expect(dns.received).toEqual([{ transport: 'udp', name, type: 'TXT', rd: false }]);
    expect(stats.queries).toBe(1);
  });

  it('retries over TCP when the UDP answer is truncated', async () => {
    const dns = await server({
      zones: [zone],
      truncateUdp: true,
      records: [{ name, type: 'TXT', data: 'big' }],
    });
    const stats: QueryStats = { queries: 0 };
    const response = await new WireDnsTransport().query(
      dns.address,
      { name, type: 'TXT', recursionDesired: false },
      { stats },
    );
    expect(response.transport).toBe('tcp');
    expect(response.answers.map((record) => record.data)).toEqual(['big']);
    expect(dns.received.map((query) => query.transport)).toEqual(['udp', 'tcp']);
    expect(stats.queries).toBe(2);
  });

  it('retries a lost UDP datagram, then reports the rcode of the answer', async () => {
    const dns = await server({ zones: [zone], dropUdp: 1 });
    const response = await new WireDnsTransport({ timeoutMs: 200 }).query(dns.address, {
      name: 'missing.example.test',
      type: 'TXT',
      recursionDesired: false,
    });
    expect(response.rcode).toBe('NXDOMAIN');
    expect(response.authorities[0]?.soa?.minimum).toBe(60);
    expect(dns.received).toHaveLength(2);
  });

  it('fails with a typed, retryable error naming the server when nothing answers', async () => {
    const dns = await server({ zones: [zone], dropUdp: 10 });
    const error = await new WireDnsTransport({ timeoutMs: 100, udpAttempts: 2 })
      .query(dns.address, { name, type: 'TXT', recursionDesired: false })
      .catch((caught: unknown) => caught);
    expect(CertkeeperError.isInstance(error)).toBe(true);
    const typed = error as CertkeeperError;
    expect(typed.code).toBe(ErrorCodes.DNS_LOOKUP_FAILED);
    expect(typed.retryable).toBe(true);
    expect(typed.message).toContain(formatServerAddress(dns.address));
    expect(typed.message).toContain('no UDP answer within 100 ms');
  });

  it('stops at once when the caller aborts', async () => {
    const dns = await server({ zones: [zone], dropUdp: 10 });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const error = await new WireDnsTransport({ timeoutMs: 5000, udpAttempts: 3 })
      .query(dns.address, { name, type: 'TXT', recursionDesired: false }, { signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect((error as CertkeeperError).code).toBe(ErrorCodes.DNS_LOOKUP_FAILED);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('server addresses', () => {
  it('parses the forms resolv.conf and dns.getServers() use', () => {
    expect(parseServerAddress('192.0.2.1')).toEqual({ host: '192.0.2.1', port: 53 });
    expect(parseServerAddress('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseServerAddress('2001:db8::1')).toEqual({ host: '2001:db8::1', port: 53 });
    expect(parseServerAddress('[2001:db8::1]:5353')).toEqual({ host: '2001:db8::1', port: 5353 });
    expect(formatServerAddress({ host: '2001:db8::1', port: 53 })).toBe('[2001:db8::1]:53');
  });

  it('rejects host names and bad ports with a typed error', () => {
    for (const bad of ['ns1.example.test', '127.0.0.1:0', '127.0.0.1:70000']) {
      expect(() => parseServerAddress(bad)).toThrow(/not an IP address/);
    }
  });
});
