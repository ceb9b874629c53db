import type * as z from 'zod';
import type { ConfigPath } from './config-source.js';

/** One problem found in a config file, before it is given a file position. */
export interface ConfigProblem {
  readonly path: ConfigPath;
  /** Point at the key itself (an unknown key) rather than its value. */
  readonly atKey: boolean;
  readonly message: string;
}

/** Turns zod's issues into messages that say what was expected, naming the allowed keys for an unknown one. */
export function describeIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, issue.path, input);
      return issue.keys.map((key) => ({
        path: [...issue.path, key] as ConfigPath,
        atKey: true,
        message: `unknown key "${key}"${allowed.length ? `; expected one of: ${allowed.join(', ')}` : ''}`,
      }));
    }
    const path = issue.path as ConfigPath;
    if (issue.code === 'invalid_type' && valueAt(input, path) === undefined)
      return [{ path, atKey: false, message: `missing; expected ${article(issue.expected)}` }];
    if (issue.code === 'invalid_type')
      return [
        {
          path,
          atKey: false,
          message: `expected ${article(issue.expected)}, got ${typeName(valueAt(input, path))}`,
        },
      ];
    if (issue.code === 'invalid_value')
      return [
        {
          path,
          atKey: false,
          message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(valueAt(input, path))}`,
        },
      ];
    if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
      const options = (issue as { options?: unknown[] }).options ?? [];
      return [
        {
          path,
          atKey: false,
          message: `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(valueAt(input, path))}`,
        },
      ];
    }
    return [{ path, atKey: false, message: issue.message.replace(/^Invalid (input|option): /, '') }];
  });
}

function article(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value)',
    record: 'a mapping (key: value)',
  };
  return names[expected] ?? expected;
}

function typeName(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${value}`;
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${JSON.stringify(value)}`;
}

function valueAt(input: unknown, path: ConfigPath): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly options?: z.ZodType[];
  readonly discriminator?: string;
}

/** The keys an object schema at `path` accepts (for a tagged union: the variant the input's tag selects). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let current: z.ZodType | undefined = schema;
  let value = input;
  for (let depth = 0; current && depth <= path.length; ) {
    const def: SchemaDef = defOf(current);
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
      current = def.innerType;
      continue;
    }
    if (def.type === 'union' && def.options) {
      const tag = def.discriminator;
      const wanted =
        tag && value && typeof value === 'object' ? (value as Record<string, unknown>)[tag] : undefined;
      current =
        def.options.find((option: z.ZodType) => {
          const shape = defOf(option).shape;
          const literal = tag ? shape?.[tag] : undefined;
          const values = (literal as unknown as { _zod?: { def?: { values?: unknown[] } } })?._zod?.def
            ?.values;
          return values?.includes(wanted);
        }) ?? def.options.find((option: z.ZodType) => defOf(option).shape);
      continue;
    }
    if (depth === path.length) return def.shape ? Object.keys(def.shape) : [];
    const segment = path[depth]!;
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
    current = def.type === 'array' ? def.element : def.shape?.[String(segment)];
    depth++;
  }
  return [];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}
