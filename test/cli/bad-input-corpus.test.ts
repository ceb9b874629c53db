// The bad-input corpus (test/cli/bad-input/): config files and name lists a careless user or a hostile file could
// give, each of which must end with exit 2, a message holding the expected words, and zero requests to the CA.
// The CA URL is the fault proxy in front of a closed port: any request at all would show in its log, so no Pebble
// is needed, and the cases run concurrently.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { type FaultProxy, startFaultProxy } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  ensureCliBuilt,
  explain,
  freePort,
  removeWorkdirs,
  runCli,
  workdir,
} from './support/cli-harness.js';

const corpus = join(import.meta.dirname, 'bad-input');
/** CLI runs at once: two cores, shared with other suites. */
const CONCURRENCY = 4;

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly expect: string;
  /** Run when the case is set up (a FIFO, a socket, a huge file). */
  readonly prepare?: () => Promise<void>;
}

let dir: string;
let proxy: FaultProxy;
let socketServer: Server | undefined;
const results = new Map<string, CliResult>();

async function configCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const file of (await readdir(join(corpus, 'configs'))).sort()) {
    const text = await readFile(join(corpus, 'configs', file), 'utf8');
    const expectation = /^# expect: (.+)$/m.exec(text)?.[1];
    if (!expectation) throw new Error(`${file} has no "# expect:" line`);
    cases.push({
      name: `config ${file}`,
      args: ['renew', '--config', join(dir, file)],
      expect: expectation,
      prepare: () => writeFile(join(dir, file), text.replaceAll('__CA__', proxy.directoryUrl)),
    });
  }
  return cases;
}

async function nameCases(): Promise<Case[]> {
  const lines = (await readFile(join(corpus, 'names.txt'), 'utf8')).split('\n');
  return lines
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [names, expectation] = line.split(' # expect: ') as [string, string];
      return {
        name: `issue ${names}`,
        // `--` ends the options: a name that starts with a hyphen is a (bad) name, not an unknown flag.
        args: [
          'issue',
          '--ca',
          proxy.directoryUrl,
          '--http-listen',
          '127.0.0.1:1',
          '--',
          ...names.split(', '),
        ],
        expect: expectation,
      };
    });
}

/** Paths that are not configuration files at all, made here because they cannot be checked in. */
function specialCases(): Case[] {
  const at = (name: string) => join(dir, name);
  return [
    {
      name: 'config /dev/zero',
      args: ['renew', '--config', '/dev/zero'],
      expect: 'is a character device, not a regular file',
    },
    {
      name: 'config FIFO',
      args: ['renew', '--config', at('fifo.yaml')],
      expect: 'is a named pipe (FIFO), not a regular file',
      prepare: async () => void execFileSync('mkfifo', [at('fifo.yaml')]),
    },
    {
      name: 'config directory',
      args: ['renew', '--config', at('a-directory.yaml')],
      expect: 'is a directory, not a regular file',
      prepare: async () => void (await mkdir(at('a-directory.yaml'))),
    },
    {
      name: 'config socket',
      args: ['renew', '--config', at('socket.yaml')],
      expect: 'is a socket, not a regular file',
      prepare: async () => {
        socketServer = createServer();
        await new Promise<void>((resolve) => socketServer!.listen(at('socket.yaml'), resolve));
      },
    },
    {
      name: 'config of 50 MB',
      args: ['renew', '--config', at('huge.yaml')],
      expect: 'is 52428800 bytes; a configuration file may have at most 1048576 bytes',
      prepare: async () => {
        await writeFile(at('huge.yaml'), '');
        await truncate(at('huge.yaml'), 50 * 1024 * 1024);
      },
    },
    {
      name: 'config not UTF-8',
      args: ['renew', '--config', at('latin1.yaml')],
      expect: 'not UTF-8 text',
      prepare: () => writeFile(at('latin1.yaml'), Buffer.from([0x63, 0x61, 0x3a, 0x20, 0xe9, 0x0a])),
    },
    { name: 'config missing', args: ['renew', '--config', at('missing.yaml')], expect: 'it does not exist' },
  ];
}

let cases: Case[] = [];

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('bad-input-corpus');
  // Nothing listens behind the proxy: a request that got through would fail, and be logged either way.
  proxy = await startFaultProxy({ target: `https://127.0.0.1:${await freePort()}/dir` });
  cases = [...(await configCases()), ...(await nameCases()), ...specialCases()];
  for (const c of cases) await c.prepare?.();
  const queue = [...cases];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let c = queue.shift(); c; c = queue.shift())
        results.set(
          c.name,
          await runCli(c.args, { cwd: dir, env: { CK_BAD_INPUT_EAB_MISSING: undefined }, timeoutMs: 30_000 }),
        );
    }),
  );
  console.log(`bad-input corpus: ${cases.length} cases in ${Math.round(performance.now() - started)} ms`);
}, 300_000);

afterAll(async () => {
  socketServer?.close();
  await proxy?.close();
  await removeWorkdirs();
});

describe('the bad-input corpus', () => {
  it('has at least 100 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it('every case exits 2 with one message holding its words, never a stack trace', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const result = results.get(c.name)!;
      const ok =
        result.code === 2 &&
        result.stderr.includes(c.expect) &&
        /\(CERTKEEPER_ERR_[A-Z_]+\)/.test(result.stderr) &&
        !/\n\s+at .+:\d+:\d+\)?\n/.test(result.stderr) &&
        !result.stderr.includes('unexpected error') &&
        // No warning of a library or of Node's own on the side of the message.
        !/\(node:\d+\) \w*Warning/.test(result.stderr);
      if (!ok) failures.push(`${c.name} — expected "${c.expect}"\n${explain(result)}`);
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  });

  it('sends nothing to the CA in any case', () => {
    expect(proxy.log).toEqual([]);
  });
});
