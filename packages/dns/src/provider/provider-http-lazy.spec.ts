import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';

// Counts evaluations of undici while handing out the real module.
const loaded = vi.hoisted(() => ({ undici: 0 }));
vi.mock('undici', async (importActual) => {
  loaded.undici += 1;
  return importActual();
});

describe('ProviderHttpClient loads undici lazily', () => {
  it('importing @certkeeper/dns loads no undici; the first request does, once', async () => {
    const { ProviderHttpClient, PropagationChecker } = await import('../index.js');
    expect(PropagationChecker).toBeTypeOf('function');
    expect(loaded.undici).toBe(0);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const http = new ProviderHttpClient({
        provider: 'sample',
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      });
      for (let n = 0; n < 2; n++) {
        const { body } = await http.request({ method: 'GET', path: 'x', operation: 'read' });
        expect(body).toEqual({ ok: true });
      }
      expect(loaded.undici).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
