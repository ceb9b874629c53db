import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StatusReport } from '@certkeeper/manager';
import { AccessGuard, LiveFeed, SECURITY_HEADERS, StatusPage } from '@certkeeper/web';

export interface PageServer {
  readonly url: string;
  readonly feed: LiveFeed;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * The status page over a given report, served the way the daemon serves it (its headers, its guard for loopback),
 * without a daemon: for the benchmark and the 10 000-certificate views, whose fleet is synthetic.
 */
export async function servePage(report: () => Promise<StatusReport>): Promise<PageServer> {
  const feed = new LiveFeed();
  const page = await StatusPage.create({ report, feed, guard: new AccessGuard({ loopback: true }) });
  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    if (!page.handle(request, response, (request.url ?? '/').split('?')[0]!)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    feed,
    server,
    close: async () => {
      page.close();
      feed.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
