import { FakeApiError } from '../json-api-fake.js';

/** Resource Manager's error envelope: `{ error: { code, message } }`. */
export function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return new FakeApiError(
    status,
    { error: { code, message } },
    { 'x-ms-request-id': crypto.randomUUID(), ...headers },
  );
}

/** An Entra ID (AAD) token endpoint error: `{ error, error_description: "AADSTSnnnn: …", error_codes, … }`. */
export function aadError(status: number, error: string, code: number, description: string) {
  const traceId = crypto.randomUUID();
  return new FakeApiError(status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${crypto.randomUUID()} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: traceId,
    correlation_id: crypto.randomUUID(),
  });
}
