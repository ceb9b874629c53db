/**
 * `node dist/main.js`: an HTTPS server on 443 (and 80 for http-01 and redirects) that gets a certificate for each
 * allowed name on its first visit. Configure with environment variables (see examples/ondemand-https/README.md).
 */
import { startApp } from './app.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} (see examples/ondemand-https/README.md).`);
  return value;
};

const app = await startApp({
  directoryUrl: process.env.ACME_DIRECTORY_URL ?? 'https://acme-staging-v02.api.letsencrypt.org/directory',
  contact: env('ACME_CONTACT'),
  // ALLOW='shop.example.com,*.customers.example.com' — never leave it open (docs/on-demand.md).
  allow: env('ALLOW').split(',').filter(Boolean),
  store: process.env.DATABASE_URL
    ? { databaseUrl: process.env.DATABASE_URL }
    : { directory: process.env.DATA_DIR ?? '/var/lib/ondemand-https' },
  httpsPort: Number(process.env.HTTPS_PORT ?? 443),
  httpPort: Number(process.env.HTTP_PORT ?? 80),
});
app.onDemand.events.on('issued', ({ name, notAfter }) =>
  console.log(`issued ${name}, valid until ${notAfter}`),
);
app.onDemand.events.on('renewed', ({ name, notAfter }) =>
  console.log(`renewed ${name}, valid until ${notAfter}`),
);
app.onDemand.events.on('refused', ({ serverName }) => console.log(`refused ${JSON.stringify(serverName)}`));
console.log(`listening on :${app.httpsPort} (https) and :${app.httpPort} (http)`);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
