import { ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { isChangeConflict, toProviderError } from './route53-errors.js';

const aws = (name: string, message: string, status?: number) =>
  Object.assign(new Error(message), {
    name,
    $metadata: status ? { httpStatusCode: status, requestId: 'req-1' } : {},
  });

describe('Route 53 error mapping', () => {
  it('recognises the InvalidChangeBatch messages of a lost race, and only those', () => {
    expect(
      isChangeConflict(
        aws(
          'InvalidChangeBatch',
          "[Tried to create resource record set [name='a.', type='TXT'] but it already exists]",
          400,
        ),
      ),
    ).toBe(true);
    expect(
      isChangeConflict(
        aws(
          'InvalidChangeBatch',
          "[Tried to delete resource record set [name='a.', type='TXT'] but it was not found]",
          400,
        ),
      ),
    ).toBe(true);
    expect(
      isChangeConflict(
        aws('InvalidChangeBatch', '[... but the values provided do not match the current values]', 400),
      ),
    ).toBe(true);
    // The <InvalidChangeBatch><Messages> form of the same error.
    expect(
      isChangeConflict({
        name: 'InvalidChangeBatch',
        messages: ['Tried to create ... but it already exists'],
      }),
    ).toBe(true);
    expect(
      isChangeConflict(
        aws('InvalidChangeBatch', "[Invalid Resource Record: 'FATAL problem: CharacterStringTooLong']", 400),
      ),
    ).toBe(false);
    expect(isChangeConflict(aws('Throttling', 'Rate exceeded', 400))).toBe(false);
  });

  it('maps credentials, zones, throttling and other failures to the port codes', () => {
    expect(
      toProviderError(
        aws('SignatureDoesNotMatch', 'The request signature we calculated does not match', 403),
        'x',
        'example.test',
      ).code,
    ).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    const denied = toProviderError(
      aws('AccessDenied', 'User: arn:aws:iam::1:user/u is not authorized to perform: route53:GetChange', 403),
      'x',
    );
    expect(denied.message).toContain('route53:GetChange');
    expect(
      toProviderError(aws('CredentialsProviderError', 'Could not load credentials from any providers'), 'x')
        .code,
    ).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(
      toProviderError(aws('NoSuchHostedZone', 'No hosted zone found with ID: Z1', 404), 'x', 'example.test')
        .code,
    ).toBe(ErrorCodes.DNS_ZONE_NOT_FOUND);
    const throttled = toProviderError(aws('SomethingNew', 'Rate exceeded', 400), 'write', 'example.test');
    expect([throttled.code, throttled.retryable]).toEqual([ErrorCodes.DNS_PROVIDER_FAILED, true]);
    const invalid = toProviderError(
      aws('InvalidChangeBatch', '[CharacterStringTooLong]', 400),
      'write',
      'example.test',
    );
    expect([invalid.code, invalid.retryable]).toEqual([ErrorCodes.DNS_PROVIDER_FAILED, false]);
    expect(invalid.message).toContain('request id req-1');
    const network = toProviderError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      'write',
    );
    expect(network.retryable).toBe(true);
  });
});
