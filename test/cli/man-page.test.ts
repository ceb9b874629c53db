// certkeeper(1), generated from the command definitions at build time: rendered by groff and man without a
// warning, every command, flag and exit code in it, shipped by package.json, and the page the systemd units name.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandModel } from '../../packages/cli/src/completion/command-model.js';
import { ExitCode } from '../../packages/cli/src/exit-codes.js';
import { buildProgram } from '../../packages/cli/src/program.js';
import { ensureCliBuilt, repoRoot } from './support/cli-harness.js';

const run = promisify(execFile);
const cliDir = join(repoRoot, 'packages/cli');
let scratch: string;
let page: string;
let pagePath: string;

beforeAll(async () => {
  await ensureCliBuilt();
  scratch = await mkdtemp(join(tmpdir(), 'certkeeper-man-'));
  pagePath = join(scratch, 'certkeeper.1');
  // The build step itself (package.json "build" runs this after tsc).
  await run(process.execPath, [join(cliDir, 'dist/man/write-man-page.js'), pagePath]);
  page = await readFile(pagePath, 'utf8');
}, 120_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The page as a terminal shows it, 80 columns. */
async function rendered(): Promise<string> {
  // -P-cbou: plain text, no SGR escapes, overstrikes or underlines
  const { stdout, stderr } = await run('groff', ['-man', '-Tutf8', '-ww', '-rLL=80n', '-P-cbou', pagePath]);
  expect(stderr).toBe('');
  return stdout;
}

describe('man page', () => {
  it('renders without warnings (groff -ww, man -l)', async () => {
    await rendered();
    const man = await run('man', ['-l', pagePath], {
      env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat' },
    });
    expect(man.stderr).toBe('');
    expect(man.stdout).toContain('CERTKEEPER(1)');
  });

  it('has the sections of a man page, in order', () => {
    const sections = [...page.matchAll(/^\.SH "?([A-Z ]+?)"?$/gm)].map((m) => m[1]);
    expect(sections).toEqual([
      'NAME',
      'SYNOPSIS',
      'DESCRIPTION',
      'COMMANDS',
      'OPTIONS',
      'EXIT STATUS',
      'FILES',
      'ENVIRONMENT',
      'EXAMPLES',
      'SEE ALSO',
    ]);
    expect(page).toMatch(/^\.TH CERTKEEPER 1 /);
    expect(page).toContain('certkeeper \\- Keep TLS certificates fresh');
  });

  it('lists every command and flag of the program, and every exit code', async () => {
    const text = await rendered();
    const flat = text.replace(/\s+/g, ' ');
    const visit = (command: ReturnType<typeof commandModel>): void => {
      // commander's implicit `help` subcommands are one `help [command]` entry
      if (command.name === 'help') return;
      if (command.path.length > 0) expect(flat, command.path.join(' ')).toContain(command.path.join(' '));
      for (const flag of command.flags) if (flag.long) expect(flat, flag.long).toContain(flag.long);
      command.commands.forEach(visit);
    };
    visit(commandModel(buildProgram({ code: 0 })));
    const exitStatus = flat.slice(flat.indexOf('EXIT STATUS'), flat.indexOf('FILES'));
    for (const code of Object.values(ExitCode))
      expect(exitStatus, `exit ${code}`).toMatch(new RegExp(`(^| |/)${code}( |/)`));
    expect(exitStatus).toContain('SuccessExitStatus=3 4');
    // fixed values are spelled out
    expect(flat).toContain(
      'One of: unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation.',
    );
    // no hyphenation inside names a reader copies
    expect(text).not.toMatch(/CERT‐\s*\n\s*KEEPER/);
  });

  it('is shipped by package.json and named by the systemd units', async () => {
    const pkg = JSON.parse(await readFile(join(cliDir, 'package.json'), 'utf8')) as {
      man: string[];
      files: string[];
      scripts: { build: string };
    };
    expect(pkg.man).toEqual(['./dist/certkeeper.1']);
    expect(pkg.files).toContain('dist');
    expect(pkg.scripts.build).toContain('node dist/man/write-man-page.js dist/certkeeper.1');
    // Installed in a man1 directory, `man:certkeeper(1)` (what the units name) resolves to it.
    await mkdir(join(scratch, 'man', 'man1'), { recursive: true });
    await copyFile(pagePath, join(scratch, 'man', 'man1', 'certkeeper.1'));
    const found = await run('man', ['-w', 'certkeeper'], {
      env: { ...process.env, MANPATH: join(scratch, 'man') },
    });
    expect(found.stdout.trim()).toBe(join(scratch, 'man', 'man1', 'certkeeper.1'));
    const units = await readdir(join(cliDir, 'systemd'));
    expect(units.length).toBeGreaterThan(0);
    for (const unit of units)
      expect(await readFile(join(cliDir, 'systemd', unit), 'utf8'), unit).toMatch(
        /^Documentation=man:certkeeper\(1\)$/m,
      );
  });
});
