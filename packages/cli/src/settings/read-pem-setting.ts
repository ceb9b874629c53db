import { readFile } from 'node:fs/promises';
import type { ConfigPath } from '../config/config-source.js';

/**
 * Read a PEM file a setting names (`ca.caBundle`, `--ca-bundle`, `ca.trustAnchors`), reporting an unreadable file or
 * one without a certificate as a problem at `location` instead of throwing, so every bad setting is listed at once.
 */
export async function readPemSetting(
  path: string,
  location: string,
  configPath: ConfigPath | undefined,
  problem: (location: string, path: ConfigPath | undefined, message: string) => void,
): Promise<string | undefined> {
  const pem = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    problem(location, configPath, `cannot read ${path} (${error.code})`);
    return undefined;
  });
  if (pem !== undefined && !pem.includes('-----BEGIN CERTIFICATE-----')) {
    problem(location, undefined, `${path} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
    return undefined;
  }
  return pem;
}
