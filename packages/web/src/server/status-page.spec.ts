import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StatusReport } from '@certkeeper/manager';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessGuard } from './access-guard.js';
import { LiveFeed } from './live-feed.js';
import { StatusPage } from './status-page.js';

const SECRET = 'tsig-secret-0123456789';
const report: StatusReport = {
  directoryUrl: 'https://ca.test/dir',
  generatedAt: '2026-12-06T10:00:00.000Z',
  certificates: [
    {
      key: 'k',
      identifiers: ['a.test'],
      configured: true,
      state: 'missing',
      budgets: [],
      lastError: {
        reason: `the plugin said: bad key ${SECRET}`,
        failures: 1,
        at: '2026-12-06T09:00:00.000Z',
      },
    },
  ],
};

let server: Server | undefined;
let feed: LiveFeed | undefined;
afterEach(async () => {
  feed?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

async function serve(): Promise<string> {
  feed = new LiveFeed();
  const page = await StatusPage.create({
    report: async () => report,
    feed,
    guard: new AccessGuard({ loopback: true }),
    assets: new Map(),
    redact: (text) => text.replaceAll(SECRET, '[redacted]'),
  });
  server = createServer((request, response) => {
    if (!page.handle(request, response, (request.url ?? '/').split('?')[0]!)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('StatusPage', () => {
  it('scrubs secrets from the document and from every event', async () => {
    const base = await serve();
    const text = await (await fetch(`${base}/api/status`)).text();
    expect(text).toContain('bad key [redacted]');
    expect(text).not.toContain(SECRET);

    const events = await fetch(`${base}/api/events`);
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    feed!.finished(['a.test'], { type: 'failed', error: new Error(`hook printed ${SECRET}`) });
    let received = '';
    while (!received.includes('event: errors\ndata: [{')) received += (await reader.read()).value ?? '';
    await reader.cancel();
    expect(received).toContain('hook printed [redacted]');
    expect(received).not.toContain(SECRET);
  });

  it('answers 404 for unknown API paths and leaves other paths to the caller', async () => {
    const base = await serve();
    expect((await fetch(`${base}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });
});
