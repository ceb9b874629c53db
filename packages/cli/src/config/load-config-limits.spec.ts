import { execFileSync } from 'node:child_process';
import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'certkeeper-config-limits-'));
}

/** The CONFIG_INVALID error a load ends with (any other outcome fails the test), and how long it took. */
async function refusal(path: string): Promise<{ message: string; ms: number }> {
  const started = performance.now();
  const error = await loadConfig(path).then(
    () => undefined,
    (e: unknown) => e as { code?: string; message: string },
  );
  expect(error?.code, String(error?.message)).toBe('CERTKEEPER_ERR_CONFIG_INVALID');
  return { message: error!.message, ms: performance.now() - started };
}

async function fileWith(content: string | Buffer): Promise<string> {
  const path = join(await scratch(), 'certkeeper.yaml');
  await writeFile(path, content);
  return path;
}

const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((level, index) => {
    const previous = 'abcdefghi'[index]!;
    return `${level}: &${level} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`;
  }),
  '',
].join('\n');

describe('loadConfig refuses what is not a configuration, without blocking or ballooning', () => {
  it('an alias bomb gets the positioned error at the alias past the limit', async () => {
    const path = await fileWith(BOMB);
    const { message } = await refusal(path);
    // 9 aliases on each line from line 2: the 33rd is the 6th alias of line 5.
    expect(message).toContain(`${path}:5:`);
    expect(message).toContain('more than 32 aliases (*name)');
    expect(message).not.toMatch(/ReferenceError|\n\s+at /);
  });

  it('refuses nesting deeper than 32 levels, flow or block, at its position', async () => {
    const flow = await fileWith(`ca:\n  directory: ${'['.repeat(500_000)}`);
    const { message, ms } = await refusal(flow);
    expect(message).toContain(`${flow}:2:46: nested more than 32 levels deep`);
    expect(ms).toBeLessThan(5_000);
    const block = await fileWith(Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n'));
    expect((await refusal(block)).message).toMatch(/:\d+:\d+: nested more than 32 levels deep/);
  });

  it('refuses a file over 1 MiB from its size, without reading it', async () => {
    const path = join(await scratch(), 'huge.yaml');
    await writeFile(path, '');
    await truncate(path, 50 * 1024 * 1024);
    const { message, ms } = await refusal(path);
    expect(message).toContain(
      `${path} is 52428800 bytes; a configuration file may have at most 1048576 bytes`,
    );
    expect(ms).toBeLessThan(1_000);
  });

  it('names what a path is when it is not a regular file: /dev/zero, a FIFO, a directory, a socket', async () => {
    expect((await refusal('/dev/zero')).message).toContain(
      'The configuration file /dev/zero is a character device, not a regular file',
    );
    const dir = await scratch();
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    // No writer ever opens the FIFO: a blocking open or read would hang the test until its timeout.
    expect((await refusal(fifo)).message).toContain('is a named pipe (FIFO), not a regular file');
    expect((await refusal(dir)).message).toContain('is a directory, not a regular file');
    const socket = join(dir, 'socket.yaml');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect((await refusal(socket)).message).toContain('is a socket, not a regular file');
    } finally {
      server.close();
    }
  });

  it('names the position of the first byte that is not UTF-8, and of NUL-filled garbage', async () => {
    const latin1 = await fileWith(
      Buffer.concat([Buffer.from('ca:\n  directory: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    expect((await refusal(latin1)).message).toContain(`${latin1}:2:17: not UTF-8 text`);
    const binary = await fileWith(Buffer.alloc(4096));
    expect((await refusal(binary)).message).toMatch(/:\d+:\d+: not valid YAML|expected a mapping/);
  });
});
