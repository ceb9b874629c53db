import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';

const base = {
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  timeoutMs: 5000,
  killGraceMs: 200,
  outputLimit: 64,
};

describe('runProgram', () => {
  it('passes arguments without a shell: metacharacters arrive verbatim', async () => {
    const hostile = '$(touch /tmp/ck-pwned); `id` && echo "x" | cat';
    const result = await runProgram('/bin/sh', ['-c', 'printf "%s" "$1"', 'sh', hostile], base);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(hostile.slice(-64));
  });

  it('keeps only the end of a long stderr, marked as cut, without control characters', async () => {
    const result = await runProgram(
      '/bin/sh',
      ['-c', 'i=0; while [ $i -lt 500 ]; do printf "line %s\\033[31m\\n" $i >&2; i=$((i+1)); done; exit 3'],
      base,
    );
    expect(result.code).toBe(3);
    expect(result.stderr.startsWith('…')).toBe(true);
    expect(result.stderr).toContain('line 499');
    expect(result.stderr).not.toContain('\u001b');
    expect(Buffer.byteLength(result.stderr)).toBeLessThanOrEqual(64 + 3);
  });

  it('kills a program that runs past the time limit, with SIGKILL when it ignores SIGTERM', async () => {
    const started = performance.now();
    // The loop survives SIGTERM (its sleeps die, the shell goes on): only the SIGKILL after the grace ends it.
    const result = await runProgram('/bin/sh', ['-c', 'trap "" TERM; while :; do sleep 0.05; done'], {
      ...base,
      timeoutMs: 100,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('reports a program that cannot start', async () => {
    const result = await runProgram('/nonexistent/hook', [], base);
    expect(result.spawnError?.message).toContain('ENOENT');
  });
});
