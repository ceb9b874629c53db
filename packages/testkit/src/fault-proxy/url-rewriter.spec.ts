import { describe, expect, it } from 'vitest';
import { rewriteResponse } from './url-rewriter.js';

const from = 'https://127.0.0.1:1400';
const to = 'https://127.0.0.1:5555';

describe('rewriteResponse', () => {
  it('rewrites Location, every Link and a JSON body', () => {
    const out = rewriteResponse(
      {
        status: 201,
        headers: {
          'content-type': 'application/json',
          location: `${from}/order/1`,
          link: [`<${from}/dir>;rel="index"`, `<${from}/authz/1>;rel="up"`],
        },
        body: Buffer.from(
          JSON.stringify({ finalize: `${from}/finalize/1`, authorizations: [`${from}/authz/1`] }),
        ),
      },
      from,
      to,
    );
    expect(out.headers.location).toBe(`${to}/order/1`);
    expect(out.headers.link).toEqual([`<${to}/dir>;rel="index"`, `<${to}/authz/1>;rel="up"`]);
    expect(JSON.parse(out.body.toString())).toEqual({
      finalize: `${to}/finalize/1`,
      authorizations: [`${to}/authz/1`],
    });
  });

  it('leaves an origin whose port merely starts with the target port alone', () => {
    const body = Buffer.from(`{"newNonce":"https://127.0.0.1:14000/nonce","other":"${from}/x"}`);
    const out = rewriteResponse(
      { status: 200, headers: { 'content-type': 'application/json' }, body },
      from,
      to,
    );
    expect(out.body.toString()).toBe(`{"newNonce":"https://127.0.0.1:14000/nonce","other":"${to}/x"}`);
  });

  it('never touches a body that is not text (a DER certificate stays byte-exact)', () => {
    const body = Buffer.from(`\u0000\u0001${from}`);
    const out = rewriteResponse(
      { status: 200, headers: { 'content-type': 'application/pkix-cert' }, body },
      from,
      to,
    );
    expect(out.body.equals(body)).toBe(true);
  });
});
