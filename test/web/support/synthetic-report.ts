import type { BudgetStatus, CertificateStatus, StatusReport } from '@certkeeper/manager';

const DAY = 86_400_000;
const WORDS = ['api', 'www', 'mail', 'shop', 'cdn', 'auth', 'app', 'docs', 'status', 'edge', 'img', 'vpn'];
const ZONES = [
  'example.test',
  'acme-corp.test',
  'northwind.test',
  'contoso.test',
  'fabrikam.test',
  'tailspin.test',
];

/** A deterministic pseudo-random sequence, so a screenshot or a benchmark sees the same fleet every time. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A status report of `count` certificates as a large fleet has them: 90-day certificates issued over the last
 * months, a few due, failing, expired or never issued, every budget of Let's Encrypt's rules. For the page's
 * benchmark and its 10 000-certificate screenshot, where issuing 10 000 certificates from Pebble is not the point.
 */
export function syntheticReport(count: number, now = Date.now(), seed = 17): StatusReport {
  const next = random(seed);
  const certificates: CertificateStatus[] = [];
  for (let index = 0; index < count; index++) {
    const zone = ZONES[index % ZONES.length]!;
    const host = `${WORDS[Math.floor(next() * WORDS.length)]}-${index.toString(36)}.${zone}`;
    const identifiers = next() < 0.3 ? [host, `www.${host}`] : [host];
    const key = `https://ca.test/dir|https://ca.test/acct/1|${identifiers.join(',')}`;
    const roll = next();
    if (roll < 0.004) {
      certificates.push({
        key,
        identifiers,
        configured: true,
        state: 'missing',
        budgets: budgets(next, now),
      });
      continue;
    }
    const age = roll < 0.01 ? 95 * DAY : next() * 88 * DAY;
    const notBefore = now - age;
    const notAfter = notBefore + 90 * DAY;
    const renewalAt = notBefore + 60 * DAY;
    const failing = roll > 0.993;
    const state = notAfter <= now ? 'expired' : renewalAt <= now ? 'due' : 'valid';
    certificates.push({
      key,
      identifiers,
      configured: true,
      state,
      issuer: 'Pebble Intermediate CA 1a2b3c',
      notBefore: new Date(notBefore).toISOString(),
      notAfter: new Date(notAfter).toISOString(),
      serialNumberHex: Math.floor(next() * 2 ** 48).toString(16),
      keyType: 'ec256',
      renewal: {
        at: new Date(renewalAt).toISOString(),
        basis: 'lifetime',
        explanation: '2/3 of the 90-day lifetime',
      },
      ...(failing
        ? {
            lastError: {
              reason: `urn:ietf:params:acme:error:dns: NXDOMAIN looking up TXT for _acme-challenge.${host}`,
              failures: 3,
              at: new Date(now - 3_600_000).toISOString(),
            },
            backoff: {
              until: new Date(now + 4 * 3_600_000).toISOString(),
              reason: 'urn:ietf:params:acme:error:dns',
              rateLimited: false,
            },
          }
        : {}),
      budgets: budgets(next, now),
      files: [
        {
          role: 'store',
          directory: `/var/lib/certkeeper/certificates/${identifiers[0]}`,
          files: ['fullchain.pem', 'privkey.pem', 'cert.pem', 'chain.pem'],
        },
      ],
      deployment: {
        at: new Date(notBefore + 60_000).toISOString(),
        ok: true,
        attempts: 0,
        current: true,
      },
    });
  }
  return {
    directoryUrl: 'https://ca.test/dir',
    accountUrl: 'https://ca.test/acct/1',
    generatedAt: new Date(now).toISOString(),
    certificates,
  };
}

function budgets(next: () => number, now: number): BudgetStatus[] {
  const nextTokenAt = new Date(now + 3_600_000).toISOString();
  return [
    {
      rule: 'newOrdersPerAccount',
      description: 'new orders per account (300 per 3 hours)',
      remaining: 262,
      limit: 300,
      exempt: false,
      nextTokenAt,
    },
    {
      rule: 'certificatesPerRegisteredDomain',
      description: 'certificates per registered domain (50 per 7 days)',
      remaining: 20 + Math.floor(next() * 30),
      limit: 50,
      exempt: next() < 0.8,
      nextTokenAt,
    },
    {
      rule: 'certificatesPerExactSet',
      description: 'certificates per exact set of names (5 per 7 days)',
      remaining: 4,
      limit: 5,
      exempt: false,
      nextTokenAt,
    },
  ];
}
