import type { StatusRequest } from '@certkeeper/manager';
import type { Settings } from '../settings/settings.js';

/** The configured certificates as the status report asks about them (`status`, the daemon's page). */
export function statusRequests(settings: Settings): StatusRequest[] {
  return settings.certificates.map((certificate) => ({
    identifiers: certificate.names,
    keyType: certificate.keyType,
    ...(certificate.profile ? { profile: certificate.profile } : {}),
    ...((certificate.renewBeforeMs ?? settings.renewBeforeMs)
      ? { renewBeforeMs: certificate.renewBeforeMs ?? settings.renewBeforeMs }
      : {}),
  }));
}
