import {
  InvalidProfileError,
  type OrderState,
  parseCertificate,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';
import { type PebbleFixture, startPebbleFixture } from './pebble-fixture.js';

const HOUR = 3_600;
const DAY = 24 * HOUR;

/**
 * ACME profiles (draft-aaron-acme-profiles) against Pebble 2.10's own implementation, no proxy: the directory
 * lists Pebble's profiles, an order names one, the certificate has that profile's lifetime, and a profile the CA
 * does not know is refused with `invalidProfile`, which certkeeper types.
 */
describe("profiles against Pebble's own implementation", () => {
  let fixture: PebbleFixture;
  // Let's Encrypt's lifetimes (ACME-NOTES.md): classic 90 d (64 d from 2027-02-10), tlsserver 45 d, shortlived 160 h.
  const profiles = {
    classic: { description: 'The same profile you know', validityPeriodSeconds: 90 * DAY },
    tlsserver: { description: 'Certificates for TLS servers', validityPeriodSeconds: 45 * DAY },
    shortlived: { description: 'Short-lived certificates', validityPeriodSeconds: 160 * HOUR },
  };

  beforeAll(async () => {
    fixture = await startPebbleFixture({ profiles });
  });
  afterAll(() => fixture?.stop());

  const issue = async (name: string, profile: string): Promise<OrderState & { certificatePem: string }> => {
    const client = fixture.client();
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: [name],
      profile,
    });
    const result = await runOrder(state, fixture.deps(client));
    return { ...result.state, certificatePem: result.certificate.pem };
  };

  it('lists the profiles in the directory, and issues each with its own lifetime', async () => {
    const directory = await fixture.client().transport.directory();
    expect(directory.meta?.profiles).toEqual({
      classic: profiles.classic.description,
      tlsserver: profiles.tlsserver.description,
      shortlived: profiles.shortlived.description,
    });
    for (const [profile, { validityPeriodSeconds }] of Object.entries(profiles)) {
      const issued = await issue(`${profile}.profiles.example.test`, profile);
      const leaf = parseCertificate(issued.certificatePem);
      // Pebble sets notAfter to notBefore + validity − 1 s.
      expect((leaf.notAfter.getTime() - leaf.notBefore.getTime()) / 1000).toBe(validityPeriodSeconds - 1);
      // The order the CA holds names the profile the engine asked for.
      const { order } = await fixture.client().orders.get(issued.orderUrl!);
      expect(order.profile).toBe(profile);
    }
  });

  it('types the invalidProfile Pebble answers for a profile it does not offer', async () => {
    // The engine refuses a profile missing from the directory before sending; the order service sends it anyway,
    // as a caller with a stale directory would.
    const error = await rejectionOf(
      fixture.client().orders.create({
        identifiers: [{ type: 'dns', value: 'tlsclient.profiles.example.test' }],
        profile: 'tlsclient',
      }),
    );
    expect(error).toBeInstanceOf(InvalidProfileError);
    expect([error.code, error.type, error.status]).toEqual([
      'CERTKEEPER_ERR_INVALID_PROFILE',
      'invalidProfile',
      400,
    ]);
    expect(error.message).toContain('"tlsclient"');
    expect(error.message).toMatch(/Next: order with a profile the CA offers/);
  });

  it('refuses a profile the directory does not list with the ones it does (engine-options.test.ts counts the sends)', async () => {
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      identifiers: ['unlisted.profiles.example.test'],
      profile: 'tlsclient',
    });
    const error = await rejectionOf(runOrder(state, fixture.deps(fixture.client())));
    expect(error.code).toBe('CERTKEEPER_ERR_UNSUPPORTED_BY_CA');
    expect(error.message).toContain('it offers classic, shortlived, tlsserver');
  });
});
