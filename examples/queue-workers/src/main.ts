/**
 * A worker process of the example application: `node dist/main.js` on as many machines as you like. Each takes
 * renewal jobs from PostgreSQL; asking for a certificate anywhere (`worker.submit`) coalesces into one job.
 * Configure with environment variables (secrets from the environment, never the command line).
 */
import { composeApp } from './compose.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} (see examples/queue-workers/README.md).`);
  return value;
};

const app = await composeApp({
  directoryUrl: process.env.ACME_DIRECTORY_URL ?? 'https://acme-staging-v02.api.letsencrypt.org/directory',
  contact: env('ACME_CONTACT'),
  databaseUrl: env('DATABASE_URL'),
  dns: {
    server: env('DNS_PRIMARY'),
    zone: env('DNS_ZONE'),
    keyName: env('TSIG_KEY_NAME'),
    keySecret: env('TSIG_KEY_SECRET'),
  },
});
await app.worker.start();
for (const names of (process.env.CERTIFICATES ?? '').split(';').filter(Boolean)) {
  await app.worker.submit({ identifiers: names.split(',') });
}
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
