import { dirname, resolve } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { configInvalid } from './config-error.js';
import { type CertkeeperConfig, configSchema } from './config-schema.js';
import { ConfigSource, formatPath } from './config-source.js';
import { describeIssues } from './describe-issue.js';
import { readConfigFile } from './read-config-file.js';
import { documentBreach, flowDepthBreach, MAX_YAML_DEPTH } from './yaml-limits.js';

export interface LoadedConfig {
  readonly config: CertkeeperConfig;
  readonly source: ConfigSource;
  /** The config file's directory: relative paths in it (caBundle, secret files, output) resolve from here. */
  readonly directory: string;
}

/** Most problems shown at once; more are rarely useful and usually follow from the first ones. */
const MAX_PROBLEMS = 10;
const SYNTAX_HINT =
  'fix the YAML syntax at the position named (indentation, a missing colon or bracket, a duplicate key).';

/**
 * Read, parse and validate a YAML config file. Every error names the file, line, column and key and says what was
 * expected; all problems found are reported at once. Whatever the file holds — not UTF-8, an alias bomb, nesting a
 * megabyte deep, a FIFO, a device, a huge file — the answer is one CONFIG_INVALID error, never a stack trace.
 *
 * @throws CertkeeperError CONFIG_INVALID (not found, not a regular file, too large, not YAML, limits, schema).
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  const text = decodeUtf8(path, await readConfigFile(path));
  const deep = flowDepthBreach(text);
  if (deep) throw limitError(path, text, deep.offset, deep.message);
  const lines = new LineCounter();
  // logLevel 'error': yaml's warnings (a mapping used as a key) would go to process.emitWarning, outside our
  // positioned messages; the schema reports what is wrong with such a value.
  const document = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
    logLevel: 'error',
  });
  if (document.errors.length > 0) {
    throw configInvalid(
      `the configuration ${path}`,
      document.errors.slice(0, MAX_PROBLEMS).map((error) => {
        const at = error.linePos?.[0];
        return `${path}${at ? `:${at.line}:${at.col}` : ''}: not valid YAML: ${syntaxMessage(error.message)}`;
      }),
      SYNTAX_HINT,
    );
  }
  const breach = documentBreach(document);
  if (breach) throw limitError(path, text, breach.offset, breach.message);
  const source = new ConfigSource(path, document, lines);
  const input = toPlain(path, document);
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

/** UTF-8 text, or the position of the first byte sequence that is not UTF-8 (a binary file, Latin-1). */
function decodeUtf8(path: string, bytes: Buffer): string {
  const text = bytes.toString('utf8');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text;
  } catch {
    throw limitError(
      path,
      text,
      text.indexOf('\uFFFD'),
      'not UTF-8 text (a binary file, or another encoding)',
    );
  }
}

/** The document as plain data; yaml's own alias-expansion guard is the last line should ours miss a case. */
function toPlain(path: string, document: Document): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw configInvalid(
      `the configuration ${path}`,
      [`${path}: cannot be read as data: ${reason}`],
      SYNTAX_HINT,
    );
  }
}

/** yaml reports a composer that ran out of stack as "Maximum call stack size exceeded": say what it means. */
function syntaxMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return /Maximum call stack/.test(first) ? `nested more than ${MAX_YAML_DEPTH} levels deep` : first;
}

function limitError(path: string, text: string, offset: number, message: string) {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return configInvalid(`the configuration ${path}`, [`${path}:${line}:${col}: ${message}`], SYNTAX_HINT);
}
