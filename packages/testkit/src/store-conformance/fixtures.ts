import { randomBytes } from 'node:crypto';
import type {
  AccountRecord,
  BackoffRecord,
  CertificateRecord,
  LedgerEvent,
  ManagedCertificateRecord,
  OrderRecord,
} from '@certkeeper/store';

/**
 * Records shaped like the ones certkeeper writes. Every name is random, so cases never see each other's data
 * even when a backend shares one database between cases. No property is `undefined`: a backend storing JSON
 * drops such properties, and the contract is about values, not about absent-versus-undefined.
 */
export const unique = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

const pem = (label: string, body: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(body).toString('base64')}\n-----END ${label}-----\n`;

export function accountRecord(directoryUrl: string, name = 'default'): AccountRecord {
  return {
    name,
    directoryUrl,
    accountUrl: `${directoryUrl.replace(/\/directory$/, '')}/acct/${unique('a')}`,
    keyPem: pem('PRIVATE KEY', unique('account-key')),
    contact: ['mailto:ops@example.test'],
    createdAt: '2026-11-01T10:00:00.000Z',
  };
}

/** `generation` ends up in both the certificate and its key, so a reader can tell a mixed pair. */
export function certificateRecord(key: string, generation = 1): CertificateRecord {
  return {
    key,
    directoryUrl: 'https://ca.example.test/directory',
    accountUrl: 'https://ca.example.test/acct/1',
    identifiers: [
      { type: 'dns', value: 'example.test' },
      { type: 'dns', value: '*.example.test' },
    ],
    profile: 'classic',
    keyType: 'ec256',
    certificatePem: pem('CERTIFICATE', `leaf ${key} gen ${generation}`) + pem('CERTIFICATE', 'intermediate'),
    keyPem: pem('PRIVATE KEY', `key ${key} gen ${generation}`),
    notBefore: '2026-11-01T00:00:00.000Z',
    notAfter: '2027-01-30T00:00:00.000Z',
    serialNumberHex: `0a${generation.toString(16).padStart(6, '0')}`,
    ariCertId: 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE',
    issuedAt: '2026-11-01T00:05:00.000Z',
    renewalInfo: {
      windowStart: '2026-12-31T00:00:00.000Z',
      windowEnd: '2027-01-02T00:00:00.000Z',
      chosenAt: '2027-01-01T07:21:00.000Z',
      explanationUrl: 'https://ca.example.test/why',
      refreshAt: '2026-11-01T06:00:00.000Z',
      fetchedAt: '2026-11-01T00:06:00.000Z',
    },
  };
}

/** An order as a caller writes it (`putOrder`); the store sets `revision`. */
export function orderRecord(key: string): Omit<OrderRecord, 'revision'> {
  const at = '2026-11-01T00:00:00.000Z';
  return {
    key,
    updatedAt: at,
    state: {
      version: 1,
      id: unique('order'),
      directoryUrl: 'https://ca.example.test/directory',
      accountUrl: 'https://ca.example.test/acct/1',
      identifiers: [{ type: 'dns', value: 'example.test' }],
      certificateKeyPem: pem('PRIVATE KEY', 'order key'),
      phase: 'await-validation',
      orderUrl: 'https://ca.example.test/order/1',
      authorizationUrls: ['https://ca.example.test/authz/1'],
      authorizations: [
        {
          url: 'https://ca.example.test/authz/1',
          identifier: { type: 'dns', value: 'example.test' },
          wildcard: false,
          status: 'pending',
          answered: true,
          challenge: {
            type: 'dns-01',
            url: 'https://ca.example.test/chall/1',
            token: 'tok',
            keyAuthorization: 'tok.thumb',
            dnsTxtValue: 'digest',
          },
        },
      ],
      receipts: [],
      attempts: 2,
      phaseStartedAt: at,
      createdAt: at,
      updatedAt: at,
      nextActionAt: '2026-11-01T00:00:05.000Z',
    },
  };
}

/** How a certificate is kept, with a failed deployment (retried on the next run) unless `deployment` is given. */
export function managedRecord(
  key: string,
  overrides: Partial<ManagedCertificateRecord> = {},
): ManagedCertificateRecord {
  return {
    key,
    directoryUrl: 'https://ca.example.test/directory',
    identifiers: [
      { type: 'dns', value: 'example.test' },
      { type: 'dns', value: 'www.example.test' },
    ],
    recipe: {
      solvers: [
        { type: 'http-01', webroot: '/var/www/example' },
        { type: 'dns-01', provider: 'route53', credentials: { env: 'AWS_PROFILE' } },
      ],
      output: '/etc/ssl/example',
      deployHook: 'systemctl reload nginx',
      keyType: 'ec256',
      profile: 'classic',
      nested: { list: [1, 'two', true, null], empty: {} },
    },
    deployment: {
      serialNumberHex: '0a000001',
      at: '2026-11-01T00:06:00.000Z',
      ok: false,
      error: 'the deploy hook exited with status 1',
      attempts: 2,
    },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:06:00.000Z',
    ...overrides,
  };
}

export function backoffRecord(key: string, failures = 1): BackoffRecord {
  return {
    key,
    retryAt: '2026-11-01T01:00:00.000Z',
    reason: 'rateLimited: too many certificates for this exact set',
    failures,
    rateLimited: true,
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}

export function ledgerEvent(directoryUrl: string, overrides: Partial<LedgerEvent> = {}): LedgerEvent {
  return {
    kind: 'new-order',
    at: '2026-11-01T00:00:00.000Z',
    directoryUrl,
    accountUrl: 'https://ca.example.test/acct/1',
    identifierSet: 'dns:example.test',
    identifiers: [{ type: 'dns', value: 'example.test' }],
    ...overrides,
  };
}
