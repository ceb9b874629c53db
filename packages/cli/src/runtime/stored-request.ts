import { parseIdentifiers } from '@certkeeper/core';
import type { EnsureRequest } from '@certkeeper/manager';
import type { CertificateRequest } from '@certkeeper/policy';
import type { Runtime } from './open-runtime.js';

/** The policy's view of a request for this CA and account: what its freshness gate and keys are computed from. */
export function requestOf(runtime: Runtime, accountUrl: string, request: EnsureRequest): CertificateRequest {
  return {
    directoryUrl: runtime.settings.directoryUrl,
    accountUrl,
    identifiers: parseIdentifiers(request.identifiers).map(({ type, value }) => ({ type, value })),
    keyType: request.keyType ?? runtime.settings.keyType,
    ...(request.profile ? { profile: request.profile } : {}),
    ...(request.renewBeforeMs ? { renewBeforeMs: request.renewBeforeMs } : {}),
  };
}
