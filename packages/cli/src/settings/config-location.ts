import { type ConfigPath, formatPath } from '../config/config-source.js';
import type { LoadedConfig } from '../config/load-config.js';

/** `file:line:col` of a key in the loaded config, or a note that there is no config file. */
export function where(loaded: LoadedConfig | undefined, path: ConfigPath): string {
  return loaded ? loaded.source.where(path) : '(no config file)';
}

/** `file:line:col key.path`: where a setting is, for messages that come after validation (secrets, plugins). */
export function located(loaded: LoadedConfig | undefined, path: ConfigPath, atKey = false): string {
  return `${loaded ? loaded.source.where(path, atKey) : '(no config file)'} ${formatPath(path)}`;
}
