import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import type { ConfigOption, ConfigSchema } from './plugin-descriptor.js';
import { registerConfigSecrets } from './plugin-secrets.js';

/** Who the configuration is for, in messages: `{ service: 'deSEC', packageName: '@certkeeper/dns-desec' }`. */
export interface PluginConfigLabel {
  readonly service: string;
  readonly packageName: string;
}

/**
 * Checks a configuration object against a plugin's schema and returns it typed: unknown keys, missing required
 * keys, and values of the wrong type (empty strings, negative or fractional integers, values outside `enum`) are
 * refused. Every provider package shares it, so every plugin rejects bad input the same way — and registers its
 * secret options' values with the redactor (default: the process's) the same way, before any is used.
 *
 * @throws CertkeeperError INVALID_OPTION naming the key and what it must be — never its value (it may be a secret).
 */
export function parsePluginConfig<Config>(
  schema: ConfigSchema,
  config: unknown,
  label: PluginConfigLabel,
  redactor?: SecretRedactor,
): Config {
  const input = config ?? {};
  if (typeof input !== 'object' || Array.isArray(input))
    throw invalid(label, 'the configuration', 'an object');
  const entries = input as Record<string, unknown>;
  // First, so that not even a refusal below can come to quote one.
  registerConfigSecrets(schema, entries, redactor);
  const known = Object.keys(schema.properties);
  for (const key of Object.keys(entries))
    if (!known.includes(key)) throw invalid(label, `"${key}"`, `one of ${known.join(', ')}`);
  for (const key of schema.required ?? [])
    if (entries[key] === undefined)
      throw invalid(label, `"${key}"`, `given (${describe(schema.properties[key])})`);
  for (const [key, option] of Object.entries(schema.properties)) {
    const value = entries[key];
    if (value !== undefined && !fits(value, option)) throw invalid(label, `"${key}"`, describe(option));
  }
  return entries as Config;
}

function fits(value: unknown, option: ConfigOption): boolean {
  switch (option.type) {
    case 'string':
      return (
        typeof value === 'string' && value.trim() !== '' && (!option.enum || option.enum.includes(value))
      );
    case 'integer':
      return Number.isInteger(value) && (value as number) >= 0;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0;
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'object':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((item) => typeof item === 'string')
      );
    default:
      return true;
  }
}

function describe(option: ConfigOption | undefined): string {
  if (!option) return 'a value';
  if (option.enum) return `one of ${option.enum.map((item) => `"${item}"`).join(', ')}`;
  return {
    string: 'a non-empty string',
    integer: 'a whole number, 0 or more',
    number: 'a number, 0 or more',
    boolean: 'true or false',
    array: 'a list of strings',
    object: 'an object of strings',
  }[option.type as 'string'];
}

function invalid(label: PluginConfigLabel, what: string, expected: string): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.INVALID_OPTION,
    `${label.service} provider configuration: ${what} must be ${expected}.`,
    { hint: `See the option table in the README of ${label.packageName}.` },
  );
}
