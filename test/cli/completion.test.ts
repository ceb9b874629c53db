// `certkeeper completion bash|zsh|fish` from the built binary. bash: the script is sourced in a real bash and its
// completion function asked, as the shell asks it on <TAB>. zsh and fish: `zsh -n` / `fish -n` when installed;
// otherwise the script's structure is checked against the program's definitions.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../packages/cli/src/program.js';
import { ensureCliBuilt, explain, runCli } from './support/cli-harness.js';

const run = promisify(execFile);
let scratch: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  await ensureCliBuilt();
  scratch = await mkdtemp(join(tmpdir(), 'certkeeper-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli(['completion', shell], { cwd: scratch });
    expect(result.code, explain(result)).toBe(0);
    scripts[shell] = result.stdout;
    await writeFile(join(scratch, `certkeeper.${shell}`), result.stdout);
  }
}, 120_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** What bash offers for `certkeeper <words…><TAB>`: the last word is the one being completed. */
async function complete(...words: string[]): Promise<string[]> {
  const line = ['certkeeper', ...words];
  const script = `source ${JSON.stringify(join(scratch, 'certkeeper.bash'))}
complete -p certkeeper >/dev/null || exit 9
COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}
COMP_LINE=${JSON.stringify(line.join(' '))}; COMP_POINT=\${#COMP_LINE}
_certkeeper; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('bash', ['--norc', '--noprofile', '-c', script], { cwd: scratch });
  return stdout.split('\n').filter(Boolean);
}

describe('completion bash', () => {
  it('completes commands, subcommands and flags', async () => {
    expect(await complete('re')).toEqual(['renew', 'revoke']);
    expect(await complete('account', '')).toEqual(['register', 'show', 'rollover', 'deactivate', 'help']);
    expect(await complete('renew', '--')).toContain('--force');
    // program flags are accepted after a subcommand too
    expect(await complete('renew', '--')).toContain('--config');
    expect(await complete('issue', '--')).not.toContain('--local');
    expect(await complete('account', 'show', '--l')).toEqual(['--local']);
    // a flag's value is skipped: `--data-dir /x` does not hide the subcommand
    expect(await complete('--data-dir', '/tmp', 'account', 'r')).toEqual(['register', 'rollover']);
    expect(await complete('acme-dns', '')).toEqual(['register', 'help']);
    expect(await complete('help', 'a')).toEqual(['account', 'acme-dns']);
    expect(await complete('account', 'help', '')).toEqual(['register', 'show', 'rollover', 'deactivate']);
    expect(await complete('account', 'register', '--')).toContain('--new');
    expect(await complete('persist', '')).toEqual(['show', 'publish', 'check', 'help']);
    expect(await complete('persist', 'publish', '--pe')).toEqual(['--persist-until']);
    expect(await complete('persist', 'check', '--')).not.toContain('--persist-until');
    expect(await complete('issue', '--dns-p')).toEqual(['--dns-persist-01']);
  });

  it('completes the values where they are fixed', async () => {
    expect(await complete('--ca', 'letsencrypt')).toEqual(['letsencrypt', 'letsencrypt-staging']);
    expect(await complete('--ca', '=', 'goo')).toEqual(['google', 'google-staging']);
    expect(await complete('revoke', 'a.test', '--reason', 'k')).toEqual(['keyCompromise']);
    expect(await complete('--key-type', 'ec')).toEqual(['ec256', 'ec384']);
    expect(await complete('account', 'rollover', '--key-algorithm', '')).toEqual(['ES256', 'ES384', 'RS256']);
    expect(await complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // a value with no fixed list offers nothing, not flags or subcommands
    expect(await complete('--email', '')).toEqual([]);
  });

  it('completes files and directories for path values', async () => {
    await writeFile(join(scratch, 'cfg-one.yaml'), '');
    expect(await complete('--config', 'cfg-')).toEqual(['cfg-one.yaml']);
    expect(await complete('--ca-bundle', 'certkeeper.ba')).toEqual(['certkeeper.bash']);
  });
});

describe('completion zsh and fish', () => {
  const program = buildProgram({ code: 0 });
  const commandNames = program.commands.map((c) => c.name());

  it('zsh: accepted by zsh -n when installed, and names every command and flag', async () => {
    const zsh = await run('zsh', ['--version']).catch(() => undefined);
    if (zsh) await run('zsh', ['-n', join(scratch, 'certkeeper.zsh')]);
    const text = scripts.zsh!;
    expect(text.startsWith('#compdef certkeeper\n')).toBe(true);
    expect(text).toContain('compdef _certkeeper certkeeper');
    for (const name of commandNames) expect(text).toContain(`'${name}:`);
    expect(text).toMatch(/'flags\|renew'\) printf .*'--force:renew every certificate now/);
    expect(text).toMatch(/'revoke\|--reason'.*echo 'words unspecified keyCompromise/);
    // balanced: every case has its esac, every function its closing brace
    expect(text.match(/\bcase\b/g)?.length).toBe(text.match(/\besac\b/g)?.length);
  });

  it('fish: accepted by fish -n when installed, one complete line per command and flag', async () => {
    const fish = await run('fish', ['--version']).catch(() => undefined);
    if (fish) await run('fish', ['-n', join(scratch, 'certkeeper.fish')]);
    const text = scripts.fish!;
    for (const name of commandNames)
      expect(text).toMatch(new RegExp(`^complete -c certkeeper -n '__certkeeper_at' -a '${name}' -d `, 'm'));
    expect(text).toMatch(/^complete -c certkeeper -n '__certkeeper_under renew' -l force -d /m);
    expect(text).toMatch(/^complete -c certkeeper -n '__certkeeper_at account' -a 'register' -d /m);
    expect(text).toMatch(/^complete -c certkeeper -l ca -ra 'letsencrypt letsencrypt-staging zerossl/m);
    expect(text).toMatch(
      /^complete -c certkeeper -n '__certkeeper_under revoke' -l reason -xa 'unspecified /m,
    );
    expect(text).toMatch(/^complete -c certkeeper -s c -l config -rF /m);
    // fish's block keywords balance: function/switch/for/if … end
    const opens = text.match(/^\s*(function|switch|for|if)\b/gm)?.length;
    expect(text.match(/^\s*end$/gm)?.length).toBe(opens);
    expect(text).toContain("\\'"); // a description with a quote is escaped the fish way (the CA\'s view)
  });

  it('refuses a shell it does not know (exit 2)', async () => {
    const result = await runCli(['completion', 'tcsh'], { cwd: scratch });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Allowed choices are bash, zsh, fish');
  });
});
