import { describe, expect, it } from 'vitest';
import { parseLinks, ResourceMap } from './resource-kind.js';

const origin = 'https://127.0.0.1:4000';

describe('ResourceMap', () => {
  it('learns directory resources, then orders, authorizations, challenges and certificates as announced', () => {
    const map = new ResourceMap(origin, '/dir');
    expect(map.classify('/dir')).toBe('directory');
    expect(map.classify('/new-order')).toBe('other');
    map.learn(
      'directory',
      {},
      {
        newNonce: `${origin}/nonce`,
        newAccount: `${origin}/acct`,
        newOrder: `${origin}/new-order`,
        renewalInfo: `${origin}/ari`,
        meta: { termsOfService: 'https://example.test/tos' },
      },
    );
    expect(map.classify('/new-order')).toBe('newOrder');
    expect(map.classify('/ari/abc.def')).toBe('renewalInfo');
    expect(map.pathOf('newNonce')).toBe('/nonce');

    map.learn(
      'newOrder',
      { location: `${origin}/order/7` },
      {
        authorizations: [`${origin}/authz/1`],
        finalize: `${origin}/finalize/7`,
      },
    );
    map.learn('authz', {}, { challenges: [{ type: 'dns-01', url: `${origin}/chall/1` }] });
    map.learn('order', {}, { certificate: `${origin}/cert/9` });
    map.learn(
      'cert',
      { link: `<${origin}/cert/9/1>;rel="alternate", <${origin}/dir>;rel="index"` },
      undefined,
    );

    expect(map.classify('/order/7')).toBe('order');
    expect(map.classify('/authz/1')).toBe('authz');
    expect(map.classify('/chall/1')).toBe('challenge');
    expect(map.classify('/finalize/7')).toBe('finalize');
    expect(map.classify('/cert/9')).toBe('cert');
    expect(map.classify('/cert/9/1')).toBe('cert');
    expect(map.classify('/order/8')).toBe('other');
  });

  it('ignores URLs on other origins', () => {
    const map = new ResourceMap(origin, '/dir');
    map.learn('newOrder', { location: 'https://elsewhere.test/order/1' }, {});
    expect(map.classify('/order/1')).toBe('other');
  });
});

describe('parseLinks', () => {
  it('reads several links from one field or from several', () => {
    expect(parseLinks('<https://a.test/x>;rel="up", <https://a.test/y>; rel=alternate')).toEqual([
      { url: 'https://a.test/x', rel: 'up' },
      { url: 'https://a.test/y', rel: 'alternate' },
    ]);
    expect(parseLinks(['<https://a.test/z>;rel="index"'])).toEqual([
      { url: 'https://a.test/z', rel: 'index' },
    ]);
  });
});
