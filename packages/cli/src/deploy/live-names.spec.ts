import { describe, expect, it } from 'vitest';
import { type LiveCandidate, liveBaseName, liveNames } from './live-names.js';

const staging = 'https://acme-staging-v02.api.letsencrypt.org/directory';
const production = 'https://acme-v02.api.letsencrypt.org/directory';

function candidate(key: string, names: string[], overrides: Partial<LiveCandidate> = {}): LiveCandidate {
  return {
    key,
    directoryUrl: production,
    accountUrl: 'https://acme-v02.api.letsencrypt.org/acme/acct/111',
    identifiers: names.map((value) => ({ value })),
    notBefore: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

describe('liveNames', () => {
  it('names a certificate by its primary name, certbot-style, wildcards as _.', () => {
    const names = liveNames([
      candidate('a', ['example.com', 'www.example.com']),
      candidate('b', ['*.example.org', 'example.org']),
    ]);
    expect(names).toEqual(
      new Map([
        ['a', 'example.com'],
        ['b', '_.example.org'],
      ]),
    );
  });

  it('gives one CA and account’s name to its newest certificate (a grown name set), none to the older', () => {
    const names = liveNames([
      candidate('old', ['example.com'], { notBefore: '2026-01-01T00:00:00Z' }),
      candidate('new', ['example.com', 'www.example.com'], { notBefore: '2026-02-01T00:00:00Z' }),
    ]);
    expect(names).toEqual(new Map([['new', 'example.com']]));
  });

  it('disambiguates only between CAs or accounts; the name already linked keeps it', () => {
    const prod = candidate('prod', ['example.com'], { notBefore: '2026-02-01T00:00:00Z' });
    const stage = candidate('stage', ['example.com'], {
      directoryUrl: staging,
      accountUrl: 'https://acme-staging-v02.api.letsencrypt.org/acme/acct/9',
      notBefore: '2026-01-01T00:00:00Z',
    });
    // Nothing linked yet: the longest-standing takes the plain name.
    expect(liveNames([prod, stage])).toEqual(
      new Map([
        ['prod', 'example.com~letsencrypt'],
        ['stage', 'example.com'],
      ]),
    );
    // live/example.com already shows production: it stays so, a web server's path never moves.
    expect(liveNames([prod, stage], new Map([['example.com', 'prod']]))).toEqual(
      new Map([
        ['prod', 'example.com'],
        ['stage', 'example.com~letsencrypt-staging'],
      ]),
    );
    const other = candidate('other', ['example.com'], {
      accountUrl: 'https://acme-v02.api.letsencrypt.org/acme/acct/222',
    });
    expect(liveNames([prod, other], new Map([['example.com', 'prod']])).get('other')).toBe('example.com~222');
  });

  it('keeps file names safe', () => {
    expect(liveBaseName('EXAMPLE.com')).toBe('example.com');
    expect(liveBaseName('::1')).toBe('__1');
    expect(liveBaseName('../x')).toBe('__x');
  });
});
