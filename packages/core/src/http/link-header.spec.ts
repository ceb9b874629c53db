import { describe, expect, it } from 'vitest';
import { parseLinkHeaders } from './link-header.js';

describe('parseLinkHeaders', () => {
  const base = 'https://ca.test/acme/cert/1';
  it('reads several links in one header and across headers, resolving relative URLs', () => {
    const links = parseLinkHeaders(
      [
        '<https://ca.test/acme/cert/1/1>;rel="alternate", </acme/cert/1/2>; rel=alternate',
        '<https://ca.test/dir>;rel="index"',
      ],
      base,
    );
    expect(links).toEqual([
      { url: 'https://ca.test/acme/cert/1/1', rel: 'alternate' },
      { url: 'https://ca.test/acme/cert/1/2', rel: 'alternate' },
      { url: 'https://ca.test/dir', rel: 'index' },
    ]);
  });
  it('splits space-separated relation types and skips links without rel', () => {
    expect(parseLinkHeaders('<a>;rel="up index", <b>;title="x"', base)).toEqual([
      { url: 'https://ca.test/acme/cert/a', rel: 'up' },
      { url: 'https://ca.test/acme/cert/a', rel: 'index' },
    ]);
  });
  it('returns nothing for no header', () => {
    expect(parseLinkHeaders(undefined, base)).toEqual([]);
  });
});
