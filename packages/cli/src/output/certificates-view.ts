import { join } from 'node:path';
import type { CertificateStatus } from '@certkeeper/manager';
import { formatDistance, formatTime } from './format-time.js';

/**
 * certbot's `certificates` listing, for its users: per certificate its name (the `live/` one), names, expiry and
 * state, key type, and the paths a web server is configured with — whole, to be copied (`status` shortens them).
 */
export function renderCertificates(certificates: readonly CertificateStatus[], now: Date): string {
  if (certificates.length === 0) return 'No certificates stored. Issue one: certkeeper issue <names…>';
  const blocks = certificates.map((certificate) => {
    const [first, ...others] = certificate.files ?? [];
    const name =
      first?.role === 'live' ? first.directory.split('/').at(-1)! : (certificate.identifiers[0] ?? '');
    const lines = [
      `Certificate Name: ${name}`,
      `  Names: ${certificate.identifiers.join(' ')}`,
      `  Expiry Date: ${formatTime(certificate.notAfter!)} (${certificate.state.toUpperCase()}: ${expiry(certificate, now)})`,
      ...(certificate.keyType ? [`  Key Type: ${certificate.keyType}`] : []),
      ...(certificate.serialNumberHex ? [`  Serial Number: ${certificate.serialNumberHex}`] : []),
      ...(first
        ? [
            `  Certificate Path: ${join(first.directory, 'fullchain.pem')}`,
            certificate.externalKey
              ? '  Private Key Path: none (the key is yours: the certificate was ordered with your CSR)'
              : `  Private Key Path: ${join(first.directory, 'privkey.pem')}`,
          ]
        : []),
      ...others.map((set) => `  Also in (${set.role}): ${set.directory}/`),
    ];
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}

function expiry(certificate: CertificateStatus, now: Date): string {
  const distance = formatDistance(certificate.notAfter!, now);
  return certificate.state === 'expired' ? `expired ${distance}` : `expires ${distance}`;
}
