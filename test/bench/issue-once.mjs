// A cold process with a stored account: reads the account key and URL from a file, starts its own http-01
// responder on the port Pebble's VA uses, issues one certificate and prints one JSON line. Plain JS on the built
// packages, so the figure includes module loading but no TypeScript transpiling.
import { readFileSync } from 'node:fs';
import { AcmeClient, importAccountKey, prepareOrder, runOrder } from '@certkeeper/core';
import { StandaloneHttp01Solver } from '@certkeeper/http01';

const [configPath, name] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const started = performance.now();
const client = new AcmeClient({
  directoryUrl: config.directoryUrl,
  caBundle: config.caBundle,
  accountKey: await importAccountKey(config.accountKeyPem),
  accountUrl: config.accountUrl,
});
const solver = new StandaloneHttp01Solver({ host: '127.0.0.1', port: config.httpPort });
const state = await prepareOrder({
  directoryUrl: config.directoryUrl,
  accountUrl: config.accountUrl,
  identifiers: [name],
});
await runOrder(state, { client, solvers: [solver] });
const issueMs = performance.now() - started;
await solver.stop();
await client.close();
console.log(
  JSON.stringify({ issueMs, uptimeMs: process.uptime() * 1000, requests: client.transport.stats.requests }),
);
