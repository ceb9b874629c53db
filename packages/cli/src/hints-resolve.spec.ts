// Every "Next:" hint and message in the code names only flags, commands (in backticks: `certkeeper renew`) and
// configuration keys that exist: a hint that points nowhere ("configure nameserverAddresses" when the key is
// `nameservers`) is worse than none.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config/config-schema.js';
import { buildProgram } from './program.js';

const root = join(import.meta.dirname, '../../..');

/** Source files (no specs, no build output) of every package and plugin. */
function sources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'dist', '__fixtures__'].includes(entry.name)) walk(path);
      } else if (/\.ts$/.test(entry.name) && !/\.(spec|test|d)\.ts$/.test(entry.name)) files.push(path);
    }
  };
  for (const group of ['packages', 'plugins'])
    for (const name of readdirSync(join(root, group))) {
      // The testkit's fakes speak other services' languages (their keys, their URLs), not certkeeper's.
      if (name === 'testkit') continue;
      try {
        walk(join(root, group, name, 'src'));
      } catch {}
    }
  return files;
}

/**
 * Every string and template literal of the sources, read with the TypeScript parser (a regular expression trips
 * over apostrophes in comments): hints, messages and help texts alike. Template holes read as `…`.
 */
function literalsInSources(): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  for (const file of sources()) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      let text: string | undefined;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
      else if (ts.isTemplateExpression(node))
        text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…');
      // Prose only: a literal without a space is an identifier, a path or a URL, not something a person reads.
      if (
        text?.includes(' ') &&
        !ts.isImportDeclaration(node.parent) &&
        !ts.isExportDeclaration(node.parent)
      ) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push({ where: `${relative(root, file)}:${line}`, text: text.replace(/\s+/g, ' ') });
      }
      if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
      else for (const span of node.templateSpans) visit(span.expression);
    };
    visit(source);
  }
  return found;
}

function commandsOf(program: Command): Map<string, Command> {
  const commands = new Map<string, Command>();
  const visit = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const name = `${prefix}${sub.name()}`;
      commands.set(name, sub);
      visit(sub, `${name} `);
    }
  };
  visit(program, '');
  return commands;
}

function flagsOf(program: Command): Set<string> {
  const flags = new Set<string>(['--help', '--version']);
  const visit = (command: Command) => {
    for (const option of command.options) if (option.long) flags.add(option.long);
    for (const sub of command.commands) visit(sub);
  };
  visit(program);
  return flags;
}

/** Whether a dotted key (`ca.caBundle`, `certificates[].output`, `daemon.auth.token`) is in the config schema. */
function configKeyExists(path: string): boolean {
  // biome-ignore lint/suspicious/noExplicitAny: walking zod's public schema objects generically.
  let schemas: any[] = [configSchema];
  for (const part of path.replace(/\[\]/g, '').split('.')) {
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const next: any[] = [];
    for (const schema of schemas.flatMap(unwrap)) if (schema.shape?.[part]) next.push(schema.shape[part]);
    if (next.length === 0) return false;
    schemas = next;
  }
  return true;
}

// biome-ignore lint/suspicious/noExplicitAny: zod internals are walked by their documented accessors.
function unwrap(schema: any): any[] {
  const type = schema?.def?.type;
  if (type === 'optional' || type === 'nullable' || type === 'default') return unwrap(schema.def.innerType);
  if (type === 'array') return unwrap(schema.def.element);
  if (type === 'union') return schema.def.options.flatMap(unwrap);
  if (type === 'pipe') return unwrap(schema.def.in);
  return [schema];
}

const TOP_LEVEL = Object.keys(configSchema.shape).join('|');
/** Library option paths a hint names beside the config key (`library: account.contact`), not config keys. */
const LIBRARY_KEYS = new Set(['account.contact']);

describe('hints that work', () => {
  const program = buildProgram({ code: 0 as never });
  const commands = commandsOf(program);
  const flags = flagsOf(program);
  const hints = literalsInSources();

  it('finds the hints, and the flags, commands and keys in them (the scan itself works)', () => {
    expect(hints.length).toBeGreaterThan(1000);
    const all = hints.map((hint) => hint.text).join('\n');
    expect(all).toMatch(/--ca-bundle/);
    expect(all).toMatch(/`certkeeper plugins`/);
    expect(all).toMatch(/ca\.caBundle/);
  });

  it('name only flags certkeeper has', () => {
    const unknown = hints.flatMap(({ where, text }) =>
      [...text.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*)/g)]
        .map((m) => m[1]!)
        .filter((flag) => !flags.has(flag))
        .map((flag) => `${where}: ${flag} in "${text}"`),
    );
    expect(unknown).toEqual([]);
  });

  it('name only commands certkeeper has', () => {
    const unknown = hints.flatMap(({ where, text }) =>
      [...text.matchAll(/`certkeeper ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*))?/g)]
        .filter(([, first, second]) => {
          const command = commands.get(first!);
          if (!command) return true;
          // `certkeeper account <action>`: the action must be one of its subcommands.
          return command.commands.length > 0 && second !== undefined && !commands.has(`${first} ${second}`);
        })
        .map(([match]) => `${where}: "${match}" in "${text}"`),
    );
    expect(unknown).toEqual([]);
  });

  it('name only configuration keys the schema has', () => {
    const keyPattern = new RegExp(
      `(?<![\\w.-])((?:${TOP_LEVEL})(?:\\[\\])?(?:\\.[a-zA-Z][a-zA-Z0-9]*)+)`,
      'g',
    );
    const unknown = hints.flatMap(({ where, text }) =>
      [...text.matchAll(keyPattern)]
        .map((m) => m[1]!)
        .filter((key) => !configKeyExists(key) && !LIBRARY_KEYS.has(key))
        .map((key) => `${where}: ${key} in "${text}"`),
    );
    expect(unknown).toEqual([]);
  });
});
