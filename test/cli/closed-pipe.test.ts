// A reader that closes the pipe early (`certkeeper issue --help | head -1`, a log shipper that exits) must neither
// crash the CLI with an EPIPE stack trace nor stop the work it is doing: the issuance goes on and is stored.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  removeWorkdirs,
  spawnCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('closed-pipe');
  ca = await startTestCa(dir);
  await writeFile(join(dir, 'certkeeper.yaml'), caConfig(ca, './data'));
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

/** Runs the CLI with its stdout closed by the reader before the first byte is read; stderr is kept. */
async function withStdoutClosed(args: string[]) {
  const child = spawnCli(args, { cwd: dir });
  child.stdout!.destroy();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr };
}

describe('a closed stdout', () => {
  it('ends --help quietly, without an EPIPE stack trace', async () => {
    const result = await withStdoutClosed(['issue', '--help']);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(result.code).toBe(0);
  });

  it('does not interrupt an issuance: the certificate is stored and the exit code is success', async () => {
    const result = await withStdoutClosed(['issue', '--json', 'pipe.closed.test']);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(result.code).toBe(0);
    expect(ca.proxy.log.filter((e) => e.kind === 'cert').length).toBe(1);
    expect(await readdir(join(dir, 'data'))).toContain('certificates');
  });
});
