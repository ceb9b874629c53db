import { looksLikeSecretName, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import type { ConfigOption, ConfigSchema } from './plugin-descriptor.js';

/** Whether an option holds a credential: the descriptor's `secret`, else a name that says so (`apiToken`). */
export function isSecretConfigOption(key: string, option: ConfigOption | undefined): boolean {
  return option?.secret ?? looksLikeSecretName(key);
}

/**
 * Registers every credential in a plugin's configuration with the redactor, driven by the descriptor: the string
 * value of each secret option, and in a mapping option (a hook's `env`) each value whose own name looks like a
 * credential, or every value when the mapping is marked secret. `parsePluginConfig` calls it, so a plugin built on
 * it cannot forget: whatever the service later echoes of these values is scrubbed from every sink.
 */
export function registerConfigSecrets(
  schema: ConfigSchema,
  config: Readonly<Record<string, unknown>>,
  redactor: SecretRedactor = processSecretRedactor(),
): void {
  for (const [key, option] of Object.entries(schema.properties)) {
    const value = config[key];
    const secret = isSecretConfigOption(key, option);
    if (typeof value === 'string') {
      if (secret) redactor.register(value);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, item] of Object.entries(value))
        if (typeof item === 'string' && (secret || looksLikeSecretName(name))) redactor.register(item);
    }
  }
}

/**
 * A credential given in the options or, when absent, taken from the first of `variables` that is set — registered
 * with the redactor before it is used. For the values a plugin resolves itself (a token from `$DESEC_TOKEN`), which
 * no configuration file named.
 */
export function credentialFrom(
  value: string | undefined,
  variables: readonly string[],
  redactor: SecretRedactor = processSecretRedactor(),
): string | undefined {
  const credential = value ?? variables.map((name) => process.env[name]).find((item) => item !== undefined);
  redactor.register(credential);
  return credential;
}
