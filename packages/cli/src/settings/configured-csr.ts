import { resolve } from 'node:path';
import { identifierSetKey, parseIdentifiers } from '@certkeeper/core';
import { configInvalid } from '../config/config-error.js';
import type { CertkeeperConfig } from '../config/config-schema.js';
import type { LoadedConfig } from '../config/load-config.js';
import { located } from './config-location.js';
import { readCsrFile } from './read-csr.js';
import type { CertificateSpec } from './settings.js';

/**
 * The configured certificates with their `csr:` files read and checked (read on every run: the config is their
 * recipe). A CSR names the key, so `keyType` and `reuseKey` do not go with it; its names are the certificate's,
 * and `names` beside it must be exactly those.
 *
 * @throws CertkeeperError INVALID_CSR for an unusable file (naming `file:line:col certificates[i].csr`), or
 *   CONFIG_INVALID listing every conflict and name mismatch.
 */
export async function withConfiguredCsrs(
  certificates: readonly CertificateSpec[],
  config: CertkeeperConfig,
  loaded: LoadedConfig | undefined,
  base: string,
  file: string | undefined,
): Promise<CertificateSpec[]> {
  const problems: string[] = [];
  const result: CertificateSpec[] = [];
  for (const [index, spec] of certificates.entries()) {
    const entry = config.certificates?.[index];
    if (!entry?.csr) {
      result.push(spec);
      continue;
    }
    const at = (key: string) => located(loaded, ['certificates', index, key]);
    if (entry.keyType !== undefined)
      problems.push(`${at('keyType')}: a CSR names the key, whose type is the CSR's; remove keyType or csr`);
    if (entry.reuseKey === true || (entry.reuseKey === undefined && config.defaults?.reuseKey === true))
      problems.push(
        `${at('csr')}: reuseKey does not go with a CSR (certkeeper never holds its key); remove reuseKey or csr`,
      );
    const csr = await readCsrFile(resolve(base, entry.csr), at('csr'));
    // Without `names`, the CSR's are the certificate's; with them, they must agree.
    const same = (() => {
      if (entry.names === undefined) return true;
      try {
        return (
          identifierSetKey(parseIdentifiers(csr.names)) === identifierSetKey(parseIdentifiers(spec.names))
        );
      } catch {
        return false; // bad names are reported with their own positions
      }
    })();
    if (!same)
      problems.push(
        `${at('names')}: the CSR ${csr.file} requests ${csr.names.join(', ')}; names must be exactly those`,
      );
    const { reuseKey: _reuse, ...rest } = spec;
    result.push({
      ...rest,
      names: entry.names ?? csr.names,
      keyType: csr.keyType,
      csr: { file: csr.file, pem: csr.pem, spkiSha256: csr.spkiSha256 },
    });
  }
  if (problems.length > 0)
    throw configInvalid(`the CSRs of ${file ? `the configuration ${file}` : 'the command line'}`, problems);
  return result;
}
