import { createHash } from 'node:crypto';
import type { FakeApiRequest } from '../json-api-fake.js';
import { ovhAuthError } from './ovh-store.js';

/** An application (key + secret) and the consumer keys it validated, each with its access rules. */
export interface FakeOvhCredentials {
  readonly applicationKey: string;
  readonly applicationSecret: string;
  readonly consumerKeys: readonly { readonly key: string; readonly rules: readonly FakeOvhRule[] }[];
}

/** An access rule of a consumer key: a method and a path where `*` matches anything (`/domain/zone/x/record/*`). */
export interface FakeOvhRule {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
}

/** How far the signed timestamp may be from the server's clock. */
const TIME_WINDOW_SECONDS = 180;

/**
 * Checks a request as the OVH API does: a known application key (`X-Ovh-Application`), a known consumer key
 * (`X-Ovh-Consumer`), a timestamp near the server's clock (`X-Ovh-Timestamp`), the signature
 * `X-Ovh-Signature: "$1$" + SHA1(appSecret+consumerKey+method+url+body+timestamp)` over the URL on the standard HTTPS
 * port, and the consumer key's access rules for the call (`apiPath`: the path after `/1.0`).
 */
export function verifyOvhRequest(
  request: FakeApiRequest,
  apps: readonly FakeOvhCredentials[],
  serverNow: number,
  apiPath: string,
): void {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const app = apps.find((candidate) => candidate.applicationKey === header('x-ovh-application'));
  if (!app) throw ovhAuthError(403, 'INVALID_KEY', '403 Forbidden', 'Invalid application key');
  const consumer = app.consumerKeys.find((candidate) => candidate.key === header('x-ovh-consumer'));
  if (!consumer)
    throw ovhAuthError(403, 'INVALID_CREDENTIAL', '403 Forbidden', 'This credential does not exist');
  const timestamp = Number(header('x-ovh-timestamp'));
  if (!Number.isInteger(timestamp) || Math.abs(timestamp - serverNow) > TIME_WINDOW_SECONDS)
    throw ovhAuthError(400, 'QUERY_TIME_OUT', '400 Bad Request', 'Query out of time');
  const host = String(header('host') ?? '').replace(/:\d+$/, '');
  const signed = [
    app.applicationSecret,
    consumer.key,
    request.method,
    `https://${host}${request.url}`,
    request.rawBody,
    String(timestamp),
  ].join('+');
  const expected = `$1$${createHash('sha1').update(signed).digest('hex')}`;
  if (header('x-ovh-signature') !== expected)
    throw ovhAuthError(400, 'INVALID_SIGNATURE', '400 Bad Request', 'Invalid signature');
  const granted = consumer.rules.some(
    (rule) => rule.method === request.method && ruleMatches(rule.path, apiPath),
  );
  if (!granted)
    throw ovhAuthError(403, 'NOT_GRANTED_CALL', '403 Forbidden', 'This call has not been granted');
}

function ruleMatches(rule: string, path: string): boolean {
  const pattern = rule
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(path);
}

/** The least-privilege rules for one zone, as the provider's README documents them. */
export function zoneRules(zone: string): FakeOvhRule[] {
  return [
    { method: 'GET', path: '/domain/zone' },
    { method: 'GET', path: `/domain/zone/${zone}/record` },
    { method: 'POST', path: `/domain/zone/${zone}/record` },
    { method: 'GET', path: `/domain/zone/${zone}/record/*` },
    { method: 'DELETE', path: `/domain/zone/${zone}/record/*` },
    { method: 'POST', path: `/domain/zone/${zone}/refresh` },
  ];
}
