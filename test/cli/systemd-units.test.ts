// The systemd units shipped in packages/cli/systemd: valid for systemd itself (`systemd-analyze verify`), and in
// step with the program — the flags they pass exist, the timer's service counts deferred and renewed as success,
// and reload is the SIGHUP the daemon understands.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../packages/cli/src/exit-codes.js';
import { cliPath, ensureCliBuilt, runCli } from './support/cli-harness.js';

const run = promisify(execFile);
const unitsDir = join(import.meta.dirname, '../../packages/cli/systemd');
let scratch: string;

beforeAll(async () => {
  await ensureCliBuilt();
  scratch = await mkdtemp(join(tmpdir(), 'certkeeper-systemd-'));
}, 120_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function unit(name: string): Promise<string> {
  return readFile(join(unitsDir, name), 'utf8');
}

function execStart(text: string): string[] {
  return text.match(/^ExecStart=(.+)$/m)![1]!.split(' ');
}

describe('systemd units', () => {
  it('pass systemd-analyze verify (with ExecStart pointing at the built program)', async () => {
    const analyze = await run('systemd-analyze', ['--version']).catch(() => undefined);
    if (!analyze)
      throw new Error('systemd-analyze is missing: apt-get install systemd (scripts/setup.sh does it)');
    const names = await readdir(unitsDir);
    expect(names.sort()).toEqual([
      'certkeeper-renew.service',
      'certkeeper-renew.timer',
      'certkeeper.service',
    ]);
    for (const name of names) {
      const text = await unit(name);
      await writeFile(join(scratch, name), text.replaceAll('/usr/local/bin/certkeeper', cliPath));
    }
    const result = await run(
      'systemd-analyze',
      ['verify', '--man=no', ...names.map((n) => join(scratch, n))],
      {
        cwd: scratch,
      },
    ).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect('code' in result ? result.code : 0, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('run commands and flags the program has; exit 3 and 4 count as success for the timer', async () => {
    for (const name of ['certkeeper.service', 'certkeeper-renew.service']) {
      const [, command, ...flags] = execStart(await unit(name));
      const help = await runCli([command!, '--help'], { cwd: scratch });
      expect(help.code, help.stderr).toBe(0);
      for (const flag of flags.filter((f) => f.startsWith('--')))
        expect(help.stdout, `${name}: ${flag}`).toContain(flag);
    }
    const renew = await unit('certkeeper-renew.service');
    expect(renew).toMatch(new RegExp(`^SuccessExitStatus=${ExitCode.DEFERRED} ${ExitCode.RENEWED}$`, 'm'));
    expect(await unit('certkeeper.service')).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    expect(await unit('certkeeper-renew.timer')).toMatch(/^Persistent=true$/m);
  });
});
