import { FakeApiError } from '../json-api-fake.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Google's JSON error envelope (`{ error: { code, message, errors: [{ domain, reason, message }], status } }`). */
export function googleError(
  code: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): FakeApiError {
  return new FakeApiError(
    code,
    {
      error: {
        code,
        message,
        errors: [{ message, domain: 'global', reason }],
        status: STATUS_TEXT[code] ?? 'UNKNOWN',
      },
    },
    headers,
  );
}

export const unauthenticated = () =>
  googleError(
    401,
    'authError',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  );
