import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { RegistryHttp01Solver } from '@certkeeper/http01';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import { type AllowPolicy, createOnDemandTls, type OnDemandTls } from '@certkeeper/ondemand';
import { FileStore, type Store } from '@certkeeper/store';
import { PostgresStore } from '@certkeeper/store-postgres';
import { RegistryTlsAlpn01Solver } from '@certkeeper/tlsalpn01';

export interface AppConfig {
  /** The CA: Let's Encrypt in production, a local Pebble in tests. */
  readonly directoryUrl: string;
  readonly caBundle?: string;
  readonly contact: string;
  /** Names that may get a certificate on their first handshake: names, `*.` patterns, or your own check. */
  readonly allow: AllowPolicy;
  /** Where certificates live: a directory (one server), or PostgreSQL (several servers share certificates). */
  readonly store: { readonly directory: string } | { readonly databaseUrl: string; readonly schema?: string };
  /** Ports to listen on (443 and 80 in production; 0 picks a free one). */
  readonly httpsPort?: number;
  readonly httpPort?: number;
  readonly host?: string;
}

export interface App {
  readonly https: HttpsServer;
  readonly http: HttpServer;
  readonly httpsPort: number;
  readonly httpPort: number;
  readonly onDemand: OnDemandTls;
  readonly manager: CertificateManager;
  readonly store: Store;
  close(): Promise<void>;
}

/**
 * The whole application: an HTTPS server whose certificates come on demand, and a port-80 server that answers
 * http-01 challenges and sends everything else to HTTPS. tls-alpn-01 is answered by the HTTPS server itself, so
 * either port is enough for the CA.
 */
export async function startApp(config: AppConfig): Promise<App> {
  const store: Store =
    'databaseUrl' in config.store
      ? await PostgresStore.open({
          connectionString: config.store.databaseUrl,
          ...(config.store.schema ? { schema: config.store.schema } : {}),
        })
      : await FileStore.open({ directory: config.store.directory });
  const tlsAlpn01 = new RegistryTlsAlpn01Solver();
  const http01 = new RegistryHttp01Solver();
  const manager = createCertificateManager({
    directoryUrl: config.directoryUrl,
    ...(config.caBundle ? { caBundle: config.caBundle } : {}),
    account: { contact: [`mailto:${config.contact}`] },
    store,
    solvers: [tlsAlpn01, http01],
  });
  const onDemand = createOnDemandTls({ manager, allow: config.allow, challenges: { tlsAlpn01, http01 } });

  const https = createHttpsServer(
    { SNICallback: onDemand.SNICallback, ALPNCallback: onDemand.ALPNCallback },
    (req, res) => {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`Hello from ${req.headers.host ?? 'nowhere'}, served with an on-demand certificate.\n`);
    },
  );
  const http = createHttpServer((req, res) => {
    if (onDemand.httpHandler(req, res)) return;
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    res.writeHead(308, { location: `https://${host}${req.url ?? '/'}` }).end();
  });
  const host = config.host ?? '0.0.0.0';
  await new Promise<void>((resolve) => https.listen(config.httpsPort ?? 443, host, resolve));
  await new Promise<void>((resolve) => http.listen(config.httpPort ?? 80, host, resolve));
  return {
    https,
    http,
    httpsPort: (https.address() as AddressInfo).port,
    httpPort: (http.address() as AddressInfo).port,
    onDemand,
    manager,
    store,
    async close() {
      await onDemand.close();
      for (const server of [https, http]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await manager.close();
      await store.close();
    },
  };
}
