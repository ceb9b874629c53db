import { composeApp } from '@certkeeper/example-queue-workers';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindPrimary, newKey, startBindPrimary } from '../plugins/support/bind-primary.js';
import { connectionString, requirePostgres, sql, testSchema } from '../store/support/postgres.js';

/** The example application, composed as in its README, issues through BIND 9 + PostgreSQL + a local Pebble. */
describe('examples/queue-workers', () => {
  const zone = 'example-app.test';
  const key = newKey('example-app', 'hmac-sha256');
  const { schema, drop } = testSchema('example');
  let bind: BindPrimary;
  let pebble: PebbleHandle;

  beforeAll(async () => {
    await requirePostgres();
    bind = await startBindPrimary([{ name: zone, updatePolicy: [`grant ${key.name} zonesub TXT;`] }], [key]);
    pebble = await startPebble({ dnsServer: bind.address });
  }, 60_000);
  afterAll(async () => {
    await pebble?.stop();
    await bind?.stop();
    await drop();
    // composeApp names the queue's schema after the store's.
    await sql(`DROP SCHEMA IF EXISTS "${schema}_jobs" CASCADE`);
  });

  it('issues a wildcard certificate through a queue job and reports it', async () => {
    const app = await composeApp({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      contact: 'ops@example-app.test',
      databaseUrl: connectionString,
      schema,
      dns: { server: bind.address, zone, keyName: key.name, keySecret: key.secret },
    });
    try {
      const issued = new Promise<string[]>((resolve) =>
        app.manager.events.on('issued', (outcome) =>
          resolve(outcome.certificate.identifiers.map((i) => i.value)),
        ),
      );
      await app.worker.start();
      await app.worker.submit({ identifiers: [zone, `*.${zone}`] });
      expect((await issued).sort()).toEqual([`*.${zone}`, zone]);
      const again = await app.manager.ensure({ identifiers: [`*.${zone}`, zone] });
      expect(again.type).toBe('fresh');
    } finally {
      await app.close();
    }
  }, 60_000);
});
