import { CertkeeperError, looksLikeSecretName } from '@certkeeper/core';
import type { ConfigSchema, DnsProviderPlugin } from '@certkeeper/dns';
import { isSecretReference, resolveSecret, type SecretContext } from '../config/secret-reference.js';

/**
 * Whether an option holds a credential, guessed from its key and description for descriptors that do not mark
 * it (`secret: true` in the descriptor wins): inline values draw a warning, and they are never printed.
 */
export function isSecretOption(key: string, description = ''): boolean {
  return looksLikeSecretName(key) || /\bsecret\b/i.test(description);
}

/** `CERTKEEPER_RFC2136_KEY_SECRET` for option `keySecret` of plugin `rfc2136`: how `--dns` takes options. */
export function optionEnvName(pluginName: string, key: string): string {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return `CERTKEEPER_${pluginName}_${snake}`.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

export interface OptionProblem {
  /** The option key, or undefined for the options as a whole. */
  readonly key?: string;
  /** The key itself is wrong (unknown), not its value. */
  readonly unknown?: boolean;
  readonly message: string;
}

/** Thrown with every problem of a plugin's options; the caller adds file positions. */
export class PluginOptionsError extends Error {
  constructor(readonly problems: readonly OptionProblem[]) {
    super(problems.map((p) => `${p.key ?? 'options'}: ${p.message}`).join('; '));
  }
}

/**
 * Check raw options against the plugin's descriptor, resolve `{ env }`/`{ file }` secrets, and create the
 * provider. With an object schema: unknown keys, missing required keys and wrong types are reported together; a
 * validating function schema reports its own message. `create` MUST NOT touch the network (descriptor contract),
 * so this runs safely before any order.
 *
 * @throws PluginOptionsError for invalid options; CertkeeperError SECRET_UNAVAILABLE for a missing secret.
 */
export async function createProvider(
  plugin: DnsProviderPlugin<unknown>,
  raw: Readonly<Record<string, unknown>>,
  secrets: SecretContext & { readonly where: (key?: string, atKey?: boolean) => string },
): Promise<Awaited<ReturnType<DnsProviderPlugin<unknown>['create']>>> {
  const schema = plugin.configSchema;
  const config: Record<string, unknown> = {};
  const problems: OptionProblem[] = [];
  const properties = typeof schema === 'function' ? undefined : schema.properties;
  for (const [key, value] of Object.entries(raw)) {
    const spec = properties?.[key];
    if (properties && !spec) {
      problems.push({
        key,
        unknown: true,
        message: `unknown option; ${plugin.name} accepts ${Object.keys(properties).join(', ')}`,
      });
      continue;
    }
    if (isSecretReference(value)) {
      config[key] = await resolveSecret(
        value,
        { where: secrets.where(key), what: `the ${plugin.name} option ${key}` },
        secrets,
      );
      continue;
    }
    if (typeof value === 'string' && (spec?.secret ?? isSecretOption(key, spec?.description))) {
      secrets.redactor.register(value);
      secrets.warn(
        `${secrets.where(key)}: the ${plugin.name} option ${key} is a secret written inline; use { env: NAME } or { file: path }.`,
      );
    }
    if (isPlainRecord(value) && Object.values(value).some(isSecretReference)) {
      // A mapping of values (the exec plugin's `env`) may hold references too: `{ TOKEN: { env: HOOK_TOKEN } }`.
      config[key] = await resolveNested(value, `${plugin.name} option ${key}`, secrets, key);
      continue;
    }
    if (spec && !hasType(value, spec.type))
      problems.push({
        key,
        message: `expected ${spec.type}, got ${Array.isArray(value) ? 'a list' : typeof value}`,
      });
    config[key] = value;
  }
  if (typeof schema !== 'function') {
    for (const key of schema.required ?? [])
      if (!(key in raw)) problems.push({ key, message: `missing; expected ${describeOption(schema, key)}` });
  }
  if (problems.length > 0) throw new PluginOptionsError(problems);
  try {
    const typed = typeof schema === 'function' ? schema(config) : config;
    return await plugin.create(typed);
  } catch (error) {
    if (CertkeeperError.isInstance(error) && error.code === 'CERTKEEPER_ERR_SECRET_UNAVAILABLE') throw error;
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new PluginOptionsError([{ message: `rejected by the ${plugin.name} plugin: ${message}` }]);
  }
}

async function resolveNested(
  value: Readonly<Record<string, unknown>>,
  what: string,
  secrets: SecretContext & { readonly where: (key?: string, atKey?: boolean) => string },
  key: string,
): Promise<Record<string, unknown>> {
  const resolved: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value))
    resolved[name] = isSecretReference(item)
      ? await resolveSecret(
          item,
          { where: `${secrets.where(key)}.${name}`, what: `the ${what}.${name}` },
          secrets,
        )
      : item;
  return resolved;
}

function isPlainRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Options for `--dns <plugin>` from `CERTKEEPER_<PLUGIN>_<OPTION>` variables, typed by the descriptor. */
export function optionsFromEnvironment(
  plugin: DnsProviderPlugin<unknown>,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  if (typeof plugin.configSchema === 'function') return {};
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(plugin.configSchema.properties)) {
    const name = optionEnvName(plugin.name, key);
    const text = env[name];
    if (text === undefined) continue;
    // The value is named by its variable: `{ env }` keeps it out of warnings and messages.
    if (spec.type === 'string') options[key] = { env: name };
    else if (spec.type === 'number' || spec.type === 'integer') options[key] = Number(text);
    else if (spec.type === 'boolean') options[key] = /^(1|true|yes)$/i.test(text);
    else options[key] = parseJson(text);
  }
  return options;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

function describeOption(schema: ConfigSchema, key: string): string {
  const spec = schema.properties[key];
  return spec ? `${spec.type}${spec.description ? ` (${spec.description})` : ''}` : 'a value';
}
