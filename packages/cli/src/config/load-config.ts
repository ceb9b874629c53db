import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { LineCounter, parseDocument } from 'yaml';
import { configInvalid } from './config-error.js';
import { type CertkeeperConfig, configSchema } from './config-schema.js';
import { ConfigSource, formatPath } from './config-source.js';
import { describeIssues } from './describe-issue.js';

export interface LoadedConfig {
  readonly config: CertkeeperConfig;
  readonly source: ConfigSource;
  /** The config file's directory: relative paths in it (caBundle, secret files, output) resolve from here. */
  readonly directory: string;
}

/** Most problems shown at once; more are rarely useful and usually follow from the first ones. */
const MAX_PROBLEMS = 10;

/**
 * Read, parse and validate a YAML config file. Every error names the file, line, column and key and says what was
 * expected; all problems found are reported at once.
 *
 * @throws CertkeeperError CONFIG_INVALID (not found, not YAML, schema violations).
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      `The configuration file ${path} cannot be read (${code === 'ENOENT' ? 'it does not exist' : code}); nothing was done.`,
      { hint: 'check the --config path, or write a starting config with `certkeeper init`.', cause: error },
    );
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw configInvalid(
      `the configuration ${path}`,
      document.errors.slice(0, MAX_PROBLEMS).map((error) => {
        const at = error.linePos?.[0];
        return `${path}${at ? `:${at.line}:${at.col}` : ''}: not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
      }),
      'fix the YAML syntax at the position named (indentation, a missing colon or bracket, a duplicate key).',
    );
  }
  const source = new ConfigSource(path, document, lines);
  const input = document.toJS() ?? {};
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = describeIssues(configSchema, parsed.error.issues, input);
    throw configInvalid(
      `the configuration ${path}`,
      problems
        .slice(0, MAX_PROBLEMS)
        .map(
          (problem) =>
            `${source.where(problem.path, problem.atKey)} ${formatPath(problem.path)}: ${problem.message}`,
        ),
    );
  }
  return { config: parsed.data, source, directory: dirname(path) };
}
