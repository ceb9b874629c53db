import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import type { SecretReference } from './config-schema.js';

export interface SecretContext {
  /** Directory relative `{ file }` paths resolve from (the config file's). */
  readonly directory: string;
  readonly env: NodeJS.ProcessEnv;
  /** Told about inline secrets and secret files others can read. */
  readonly warn: (message: string) => void;
  /** Every value resolved here is registered with it, so no sink ever prints it. */
  readonly redactor: SecretRedactor;
}

/** Which secret this is, for messages: where it is configured and what it should hold. Never its value. */
export interface SecretLabel {
  /** `file:line:col key` or a flag name. */
  readonly where: string;
  /** "the EAB HMAC key", "the rfc2136 option keySecret". */
  readonly what: string;
}

/** Whether a value is a `{ env }` / `{ file }` reference rather than a plain value. */
export function isSecretReference(value: unknown): value is { env: string } | { file: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    ((keys[0] === 'env' && typeof (value as { env: unknown }).env === 'string') ||
      (keys[0] === 'file' && typeof (value as { file: unknown }).file === 'string'))
  );
}

/**
 * The secret's value, registered with the context's redactor. Inline values are accepted with a warning; `{ env }`
 * and `{ file }` must resolve to a non-empty value, or SECRET_UNAVAILABLE names the variable or file (never a
 * value) before anything is done.
 */
export async function resolveSecret(
  reference: SecretReference,
  label: SecretLabel,
  context: SecretContext,
): Promise<string> {
  const value = await readSecret(reference, label, context);
  context.redactor.register(value);
  return value;
}

async function readSecret(
  reference: SecretReference,
  label: SecretLabel,
  context: SecretContext,
): Promise<string> {
  if (typeof reference === 'string') {
    context.warn(
      `${label.where}: ${label.what} is written inline; keep secrets out of config files and command lines: use { env: NAME } or { file: path }.`,
    );
    return reference;
  }
  if ('env' in reference) {
    const value = context.env[reference.env];
    if (value) return value;
    throw new CertkeeperError(
      ErrorCodes.SECRET_UNAVAILABLE,
      `${label.where}: the environment variable ${reference.env} is ${value === undefined ? 'not set' : 'empty'}; it should hold ${label.what}. Nothing was done.`,
      {
        hint: `set ${reference.env} in certkeeper's environment (systemd: Environment= or EnvironmentFile=), or use { file: path }.`,
      },
    );
  }
  const path = resolve(context.directory, reference.file);
  let value: string;
  try {
    value = (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
    const mode = (await stat(path)).mode;
    if (mode & 0o077)
      context.warn(
        `${label.where}: the secret file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it.`,
      );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CertkeeperError(
      ErrorCodes.SECRET_UNAVAILABLE,
      `${label.where}: the secret file ${path} cannot be read (${code === 'ENOENT' ? 'it does not exist' : code}); it should hold ${label.what}. Nothing was done.`,
      {
        hint: 'fix the path (relative paths start at the config file) or the file permissions.',
        cause: error,
      },
    );
  }
  if (!value)
    throw new CertkeeperError(
      ErrorCodes.SECRET_UNAVAILABLE,
      `${label.where}: the secret file ${path} is empty; it should hold ${label.what}. Nothing was done.`,
      { hint: 'write the secret into the file.' },
    );
  return value;
}
